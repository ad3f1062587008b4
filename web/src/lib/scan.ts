// Reads a QR code (the recovery kit, a sharing code) from the camera. A few frames a second,
// scaled down, suffice for a code held in front of the lens and spare a cheap phone's battery.

/** Pause between two attempts, in milliseconds (four a second). */
const FRAME_INTERVAL = 250;
/** Frames are scaled so their longer side is at most this many pixels before decoding. */
const MAX_SIDE = 640;

/** The camera's video stream, the rear camera when there is one (`ideal`: the size wished for;
 *  the camera gives what it has nearest). */
export async function openCamera(ideal = { width: 1280, height: 720 }): Promise<MediaStream> {
  if (!navigator.mediaDevices?.getUserMedia) {
    throw new Error('no camera API here (it needs a secure context: HTTPS or localhost)');
  }
  return navigator.mediaDevices.getUserMedia({
    audio: false,
    video: { facingMode: { ideal: 'environment' }, width: { ideal: ideal.width }, height: { ideal: ideal.height } },
  });
}

/** Turns the camera off (its light too). */
export function stopCamera(stream: MediaStream): void {
  for (const track of stream.getTracks()) track.stop();
}

function abortError(): DOMException {
  return new DOMException('QR scan aborted', 'AbortError');
}

type Reader = (rgba: Uint8ClampedArray, width: number, height: number) => string | null;

/** Draws the video's current frame, scaled down, and returns the decoder's answer. */
function frameReader(decode: Reader): (video: HTMLVideoElement) => string | null {
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) throw new Error('no 2D canvas context');
  return (video) => {
    if (video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA || video.videoWidth === 0) {
      return null;
    }
    const scale = Math.min(1, MAX_SIDE / Math.max(video.videoWidth, video.videoHeight));
    const width = Math.max(1, Math.round(video.videoWidth * scale));
    const height = Math.max(1, Math.round(video.videoHeight * scale));
    if (canvas.width !== width || canvas.height !== height) {
      canvas.width = width;
      canvas.height = height;
    }
    context.drawImage(video, 0, 0, width, height);
    return decode(context.getImageData(0, 0, width, height).data, width, height);
  };
}

/**
 * Watches `video` until a QR code is read, and resolves with its text. Rejects with an
 * AbortError DOMException when `signal` aborts (the usager leaves the screen).
 */
export async function scanQr(video: HTMLVideoElement, signal: AbortSignal): Promise<string> {
  if (signal.aborted) throw abortError();
  // Loaded only when a scan starts: most visits never scan.
  const { default: jsQR } = await import('jsqr');
  if (signal.aborted) throw abortError();
  const read = frameReader((rgba, width, height) => {
    const code = jsQR(rgba, width, height, { inversionAttempts: 'dontInvert' });
    return code && code.data !== '' ? code.data : null;
  });
  return new Promise<string>((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const finish = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      finish();
      reject(abortError());
    };
    const tick = () => {
      try {
        // No work while the page is hidden; the timer keeps its slow pace.
        const text = document.visibilityState === 'hidden' ? null : read(video);
        if (text !== null) {
          finish();
          resolve(text);
          return;
        }
      } catch (error) {
        finish();
        reject(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      timer = setTimeout(tick, FRAME_INTERVAL);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    tick();
  });
}
