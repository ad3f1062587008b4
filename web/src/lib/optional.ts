// The library helpers written on the `web-lib` branch (QR drawing, QR scanning), found by name
// without breaking the build before that branch is merged: `import.meta.glob` yields nothing for a
// file that does not exist yet, and the screens then go without the QR code or the camera.
type QrSvg = (text: string) => { size: number; path: string };
type ScanQr = (video: HTMLVideoElement, signal: AbortSignal) => Promise<string>;

const qr = import.meta.glob<QrSvg>('./qr.ts', { eager: true, import: 'qrSvg' });
const scan = import.meta.glob<ScanQr>('./scan.ts', { import: 'scanQr' });

export const qrSvg: QrSvg | null = Object.values(qr)[0] ?? null;
export const loadScanQr: (() => Promise<ScanQr>) | null = Object.values(scan)[0] ?? null;
