export default function ({ data, parentElement }) {
  const root = parentElement.querySelector('.ba');
  root.querySelector('img.before').src = data.before;
  root.querySelector('.after img').src = data.after;
  root.querySelector('.left').textContent = data.left;
  root.querySelector('.right').textContent = data.right;
  const range = root.querySelector('input');
  range.setAttribute('aria-label', data.label);
  const show = () => {
    root.querySelector('.after').style.clipPath = `inset(0 0 0 ${range.value}%)`;
    root.querySelector('.line').style.left = `${range.value}%`;
  };
  range.oninput = show;
  show();
}
