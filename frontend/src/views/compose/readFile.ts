import { AppError } from '../../api/errors';

/** Larger files are refused before they are read into memory. */
export const MAX_FILE_BYTES = 500 * 1000 * 1000;

/** A file's bytes as base64 (no data: prefix), read in the page with FileReader. */
export function readAsBase64(file: File): Promise<string> {
  if (file.size > MAX_FILE_BYTES) {
    return Promise.reject(
      new AppError({
        code: 'media',
        message: `${file.name} is too large to attach (over 500 MB).`,
        hint: 'Networks accept far smaller files; export a smaller version and attach that.',
      }),
    );
  }
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = typeof reader.result === 'string' ? reader.result : '';
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => {
      reject(new AppError({ code: 'media', message: `${file.name} could not be read.`, hint: 'Check that the file still exists and try again.' }));
    };
    reader.readAsDataURL(file);
  });
}
