"""The transposed convolution written out by hand, checked against PyTorch's, and the tap counts
behind the checkerboard."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from ganzoo.lessons import upsampling


def test_the_course_example():
    out, terms = upsampling.transposed_conv([[10, 20], [15, 7]], [[1, 1], [2, 2]])
    assert out.tolist() == [[10, 30, 20], [35, 82, 47], [30, 44, 14]]
    # The centre is 10*2 + 20*2 + 15*1 + 7*1, as the slide writes it.
    assert sorted(terms[1][1]) == [(0, 0, 1, 1), (0, 1, 1, 0), (1, 0, 0, 1), (1, 1, 0, 0)]
    assert terms[0][0] == [(0, 0, 0, 0)]


@pytest.mark.parametrize("seed", range(12))
def test_equals_torch_conv_transpose2d(seed):
    rng = np.random.default_rng(seed)
    h, w, kh, kw = rng.integers(1, 5, 4)
    stride, padding = int(rng.integers(1, 4)), int(rng.integers(0, 2))
    x, k = rng.normal(size=(h, w)), rng.normal(size=(kh, kw))
    try:
        ours, terms = upsampling.transposed_conv(x, k, stride, padding)
    except ValueError:
        return  # padding larger than the output: torch refuses too
    theirs = F.conv_transpose2d(torch.from_numpy(x)[None, None], torch.from_numpy(k)[None, None], stride=stride,
                                padding=padding)[0, 0].numpy()
    assert ours.shape == theirs.shape and np.allclose(ours, theirs)
    # Each cell is exactly the sum of its listed terms.
    for r in range(ours.shape[0]):
        for c in range(ours.shape[1]):
            assert np.isclose(ours[r, c], sum(x[i, j] * k[a, b] for i, j, a, b in terms[r][c]))


def test_bad_shapes_are_refused():
    with pytest.raises(ValueError):
        upsampling.transposed_conv([[1]], [[1]], padding=1)
    with pytest.raises(ValueError):
        upsampling.transposed_conv([[1]], [[1]], stride=0)
    with pytest.raises(ValueError):
        upsampling.transposed_conv([], [[1]])


def test_nearest():
    assert upsampling.nearest([[1, 2], [3, 4]]).tolist() == [[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]]


def test_uneven_overlap_only_when_the_kernel_is_not_a_multiple_of_the_stride():
    inner = lambda counts: counts[4:-4, 4:-4]  # noqa: E731
    k3 = inner(upsampling.taps_transposed(3, 2))
    assert set(np.unique(k3)) == {1.0, 2.0, 4.0}  # the checkerboard: 1, 2 and 4 taps by phase
    assert k3[0, 0] != k3[0, 1] and np.array_equal(k3[:2, :2], k3[2:4, 2:4])  # period 2
    assert set(np.unique(inner(upsampling.taps_transposed(4, 2)))) == {4.0}
    assert set(np.unique(upsampling.taps_resize_conv(3, 2)[1:-1, 1:-1])) == {9.0}


def test_a_flat_grey_image_through_the_shipped_generators_before_and_after():
    """What the page shows of the checkerboard: the amplified centre of each generator's output for a
    flat grey image, and its phase spread, which is metrics.flat_spread's."""
    from ganzoo.maths import metrics
    spreads, pictures = {}, {}
    for name in ("cyclegan-monet-compact-v1", "cyclegan-monet-compact"):
        generator = upsampling.photo_to_painting(name)
        assert not generator.training and next(generator.parameters()).dtype == torch.float32
        picture, spreads[name] = upsampling.flat_grey_through(generator)
        pictures[name] = picture
        assert picture.shape == (384, 384, 3) and picture.dtype == np.uint8  # the central 64x64, six times
        assert np.array_equal(picture[::6, ::6], picture[5::6, 5::6])  # crisp 6x6 blocks
        assert spreads[name] == pytest.approx(metrics.flat_spread(generator, upsampling.FLAT_GREY), abs=1e-6)
    assert spreads["cyclegan-monet-compact-v1"] > 0.05 and spreads["cyclegan-monet-compact"] <= 0.01
    # The transposed convolutions' pattern, amplified, shows; the resize-convolutions' picture is near flat.
    assert pictures["cyclegan-monet-compact-v1"].std() > pictures["cyclegan-monet-compact"].std()
