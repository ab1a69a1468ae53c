"""The conditional digits page under AppTest."""



from tests.pages.apptest import open_page


def test_conditional_digit_picker_draws_the_chosen_digit():
    at = open_page("app_pages/mnist_conditional.py")
    for digit in (0, 3, 9):
        at.segmented_control(key="digit").set_value(digit).run()
        assert not at.exception
        caption = at.get("image")[0].proto.imgs[0].caption
        assert caption.startswith(f"8 samples of the digit {digit}")
        assert int(caption.split("reads ")[1].split()[0]) >= 6
    at.segmented_control(key="digit").set_value(None).run()  # deselecting falls back to 7
    assert at.get("image")[0].proto.imgs[0].caption.startswith("8 samples of the digit 7")
    first = [img.proto.imgs[0].url for img in at.get("image")]
    at.number_input(key="seed").set_value(123).run()  # a new seed redraws every picture on the page
    second = [img.proto.imgs[0].url for img in at.get("image")]
    assert len(first) == len(second) and all(a != b for a, b in zip(first, second))


def test_conditional_digit_and_number():
    at = open_page("app_pages/mnist_conditional.py")
    at.number_input(key="per_digit").set_value(10).run()
    caption = at.get("image")[0].proto.imgs[0].caption
    assert caption.startswith("10 samples of the digit 7")
    agree = int(caption.split("reads ")[1].split()[0])
    assert agree >= 8  # the conditional GAN draws what it is asked
    at.text_input(key="number").input("31415").run()
    assert not at.exception
    verdict = (at.success or at.warning)[0].value
    assert "digits agree" in verdict and "of 5" in verdict
    at.text_input(key="number").input("12a").run()
    assert any("Only the digits" in w.value for w in at.warning)
