"""Checking and cleaning uploaded images, for avatars and photos alike.

Every upload is opened with Pillow whatever its name or declared type,
refused unless it is a still image of an allowed format within the size and
pixel limits, turned upright by its EXIF orientation and re-encoded, which
drops all metadata (GPS position, camera serial …).
"""

import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}

NOT_AN_IMAGE = "Upload a JPEG, PNG, WebP or GIF image."
FILE_TOO_LARGE = "The file is too large: at most {limit} MB."
TOO_MANY_PIXELS = "The image is too large: at most {limit} megapixels."


@dataclass(frozen=True)
class CleanImage:
    file: ContentFile
    width: int
    height: int
    content_type: str


def clean_image(upload, *, max_side: int) -> CleanImage:
    """Verify `upload` and return it re-encoded, at most `max_side` pixels wide and high."""
    if upload.size > settings.MAX_UPLOAD_BYTES:
        raise ValidationError(
            FILE_TOO_LARGE.format(limit=settings.MAX_UPLOAD_BYTES // (1024 * 1024)),
            code="file_too_large",
        )
    image = _open_verified(upload)
    image = ImageOps.exif_transpose(image)
    image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)

    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    output = io.BytesIO()
    if has_alpha:
        image.convert("RGBA").save(output, format="PNG", optimize=True)
        content_type, extension = "image/png", "png"
    else:
        image.convert("RGB").save(output, format="JPEG", quality=85, optimize=True)
        content_type, extension = "image/jpeg", "jpg"
    return CleanImage(
        file=ContentFile(output.getvalue(), name=f"image.{extension}"),
        width=image.width,
        height=image.height,
        content_type=content_type,
    )


def _open_verified(upload) -> Image.Image:
    """Open `upload`, refusing non-images, other formats and decompression bombs."""
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload, formats=sorted(ALLOWED_FORMATS))
            if image.width * image.height > settings.MAX_IMAGE_PIXELS:
                raise ValidationError(
                    TOO_MANY_PIXELS.format(limit=settings.MAX_IMAGE_PIXELS // 1_000_000),
                    code="too_many_pixels",
                )
            image.seek(0)  # an animated GIF is kept as its first frame
            image.load()
    except ValidationError:
        raise
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        SyntaxError,
        ValueError,
        EOFError,
    ) as error:
        raise ValidationError(NOT_AN_IMAGE, code="not_an_image") from error
    return image
