import { useEffect, useState } from 'react';
import { mediaPreview } from '../../api/posts';

/*
 * Attachments are stored under their content hash, so a path's preview
 * never changes: the window keeps each one it has read.
 */
const previews = new Map<string, string>();

/** A data: URL of an image attachment; undefined while loading, for non-images, or on failure. */
export function useMediaPreview(path: string, mime: string): string | undefined {
  const isImage = mime.startsWith('image/');
  const [loaded, setLoaded] = useState<{ path: string; url: string } | undefined>(undefined);

  useEffect(() => {
    if (!isImage || previews.has(path)) {
      return undefined;
    }
    let current = true;
    mediaPreview(path).then(
      (url) => {
        previews.set(path, url);
        if (current) {
          setLoaded({ path, url });
        }
      },
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [path, isImage]);

  if (!isImage) {
    return undefined;
  }
  return previews.get(path) ?? (loaded?.path === path ? loaded.url : undefined);
}
