import { useEffect } from 'react';
import { useNavigate } from 'react-router-dom';
import { onNavigate } from '../api/events';

/** Follows app:navigate, e.g. "/channels?reconnect=12" after Reconnect on a desktop notification. */
export function useNavigateEvents(): void {
  const navigate = useNavigate();
  useEffect(
    () =>
      onNavigate((request) => {
        if (typeof request?.path === 'string' && request.path.startsWith('/')) {
          void navigate(request.path);
        }
      }),
    [navigate],
  );
}
