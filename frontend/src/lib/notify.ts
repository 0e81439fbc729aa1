import { notifications } from '@mantine/notifications';
import { toAppError } from '../api/errors';

export function notifySuccess(title: string, message: string): void {
  notifications.show({ color: 'teal', title, message, autoClose: 6000 });
}

/** Shows a failure with its way forward; the message stays until closed. */
export function notifyError(title: string, err: unknown): void {
  const error = toAppError(err);
  notifications.show({
    color: 'red',
    title,
    message: error.hint ? `${error.message} ${error.hint}` : error.message,
    autoClose: false,
  });
}
