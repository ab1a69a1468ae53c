"""Several photos translated with one page's settings, one image per step: a caller that shares the
machine (the CycleGAN page, through the server's heavy-work slots) takes its turn per image, not for
the whole batch, so other visitors get theirs."""

from ganzoo.inference import translation
from ganzoo.inference.cycle_passes import preview
from ganzoo.io.images import ImageInputError, jpeg_bytes, to_uint8

THUMB_SIDE = 192  # the longer side of the thumbnails shown for a batch


class BatchTranslation:
    """(name, bytes) files decoded and translated as `translation.translate_files` does, one per
    `step()`; `outcome()` then holds a ZIP of the translations, their thumbnails, and one line in
    `lang` for each file that could not be used."""

    def __init__(self, generator, files, size_policy: str, max_side: int, max_pixels: int | None, lang: str):
        self._results = translation.translate_files(generator, files, size_policy, max_side, max_pixels)
        self.lang = lang
        self.done, self.thumbs, self.failed = [], [], []

    def step(self) -> None:
        """The next file decoded and translated (here, so a caller's slot is held while it is)."""
        name, result = next(self._results)
        if isinstance(result, ImageInputError):
            self.failed.append(f"{name}: {result.text(self.lang)}")
        else:
            self.done.append((name, to_uint8(result.output[0])))
            self.thumbs.append((name, jpeg_bytes(to_uint8(preview(result.output, THUMB_SIDE)[0]))))

    def outcome(self) -> dict:
        """archive (ZIP bytes, None when no file translated), thumbs [(name, JPEG)], failed [line]."""
        return dict(archive=translation.zip_pngs(self.done) if self.done else None, thumbs=self.thumbs,
                    failed=self.failed)
