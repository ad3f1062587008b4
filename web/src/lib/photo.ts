// Shrinks a photo before it is encrypted and sent: a 12-megapixel picture from a phone becomes a
// JPEG of a few hundred kilobytes, which spares the usager's data plan and still reads well.
import { jpegSize } from './pdf';

export interface ReducedPhoto {
  jpeg: Uint8Array<ArrayBuffer>;
  width: number;
  height: number;
}

type Canvas2D = OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D;

/** A canvas of the given size, its 2D context, and a way to encode it as JPEG. */
function makeCanvas(width: number, height: number) {
  if (typeof OffscreenCanvas !== 'undefined') {
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d');
    const encode = (quality: number) => canvas.convertToBlob({ type: 'image/jpeg', quality });
    return { context, encode };
  }
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  const encode = (quality: number) =>
    new Promise<Blob>((resolve, reject) => {
      canvas.toBlob(
        (blob) => (blob ? resolve(blob) : reject(new Error('the canvas gave no image'))),
        'image/jpeg',
        quality,
      );
    });
  return { context: context as Canvas2D | null, encode };
}

/** The image in `blob`, upright according to its EXIF orientation. */
async function decode(blob: Blob): Promise<ImageBitmap> {
  try {
    return await createImageBitmap(blob, { imageOrientation: 'from-image' });
  } catch (cause) {
    // E.g. a HEIC photo in a browser that cannot read HEIC, or a file that is not an image.
    throw new Error(`the browser cannot decode this image (${blob.type || 'unknown type'})`, {
      cause,
    });
  }
}

/**
 * The photo as a JPEG whose longer side is at most `maxSide` pixels (never enlarged), upright
 * according to its EXIF orientation, transparent parts on white.
 */
export async function reducePhoto(
  source: Blob | ImageBitmap,
  maxSide = 1600,
  quality = 0.8,
): Promise<ReducedPhoto> {
  if (!Number.isInteger(maxSide) || maxSide < 1) throw new Error('maxSide: a positive integer');
  if (!(quality >= 0 && quality <= 1)) throw new Error('quality: a number from 0 to 1');
  const bitmap = source instanceof Blob ? await decode(source) : source;
  try {
    if (bitmap.width === 0 || bitmap.height === 0) throw new Error('the image is empty');
    const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
    const width = Math.max(1, Math.round(bitmap.width * scale));
    const height = Math.max(1, Math.round(bitmap.height * scale));
    const { context, encode } = makeCanvas(width, height);
    if (!context) throw new Error('no 2D canvas context');
    context.fillStyle = '#fff';
    context.fillRect(0, 0, width, height);
    context.imageSmoothingEnabled = true;
    context.imageSmoothingQuality = 'high';
    context.drawImage(bitmap, 0, 0, width, height);
    const blob = await encode(quality);
    // A browser that cannot write JPEG silently gives PNG instead.
    if (blob.type !== 'image/jpeg') throw new Error(`the browser encoded ${blob.type}, not JPEG`);
    const jpeg = new Uint8Array(await blob.arrayBuffer());
    const size = jpegSize(jpeg);
    if (size.width !== width || size.height !== height) {
      throw new Error('the encoded JPEG does not have the size drawn');
    }
    return { jpeg, width, height };
  } finally {
    // Only the bitmap made here is ours to release; the caller's stays usable.
    if (bitmap !== source) bitmap.close();
  }
}

/** The video's current frame (e.g. the camera preview when the usager taps "photograph"). */
export async function captureFrame(video: HTMLVideoElement): Promise<ImageBitmap> {
  if (video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA || video.videoWidth === 0) {
    throw new Error('the video has no frame yet');
  }
  return createImageBitmap(video);
}
