import { Alert, Anchor, Button, Group, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { IconChevronDown, IconChevronRight, IconInfoCircle, IconKey } from '@tabler/icons-react';
import { useEffect, useRef } from 'react';
import type { AppError } from '../../../api/errors';
import type { NetworkInfo } from '../../../api/types';
import { LinkifiedText } from '../../../components/ExternalLink';
import { placeholders } from '../channelText';

export interface Details {
  instance: string;
  identifier: string;
  /** The app password; emptied as soon as it was sent. */
  secret: string;
}

/** Errors on the form's fields, keyed by Details field. */
export type FieldErrors = Partial<Record<keyof Details, string>>;

/** The backend's field names (apperr field) for each input. */
const BACKEND_FIELDS: Record<string, keyof Details> = {
  instance: 'instance',
  identifier: 'identifier',
  password: 'secret',
  secret: 'secret',
};

/** Puts an error on its field; undefined when the error belongs to no field here. */
export function fieldErrorOf(error: { field?: string | undefined; message: string; hint?: string | undefined }): FieldErrors | undefined {
  const field = error.field ? BACKEND_FIELDS[error.field] : undefined;
  if (!field) {
    return undefined;
  }
  return { [field]: error.hint ? `${error.message} ${error.hint}` : error.message };
}

interface DetailsStepProps {
  network: NetworkInfo;
  details: Details;
  onChange: (details: Details) => void;
  errors: FieldErrors;
  /** A failure that belongs to no field. */
  problem: AppError | undefined;
  /** The advanced section (hosting provider) is open; kept by the dialog so Try again keeps it open. */
  advanced: boolean;
  onAdvancedChange: (open: boolean) => void;
  onBack: () => void;
  onSubmit: () => void;
}

/** Joins a format hint and a note into one description. */
function describe(format: string, note: string): string {
  if (!format) {
    return note;
  }
  return /[.!?]$/.test(format) ? `${format} ${note}` : `${format}. ${note}`;
}

/** Step 2: the server (browser sign-in) or the handle and app password. */
export function DetailsStep({
  network,
  details,
  onChange,
  errors,
  problem,
  advanced,
  onAdvancedChange,
  onBack,
  onSubmit,
}: DetailsStepProps) {
  const hints = placeholders(network);
  const password = network.auth === 'app_password';
  // Open when asked, when the provider is wrong, and whenever one other
  // than the default was typed: what is used stays in sight.
  const showAdvanced = advanced || Boolean(errors.instance) || (password && details.instance.trim() !== network.defaultInstance);
  const instanceRef = useRef<HTMLInputElement>(null);
  const identifierRef = useRef<HTMLInputElement>(null);
  const secretRef = useRef<HTMLInputElement>(null);

  // The form takes the focus when it appears (after choosing the network,
  // or coming back to fix something): on the field in error, else the first.
  useEffect(() => {
    const first = password ? identifierRef.current : instanceRef.current;
    const wrong = errors.identifier ? identifierRef.current : errors.secret ? secretRef.current : errors.instance ? instanceRef.current : null;
    (wrong ?? first)?.focus();
    // Only when the form appears: typing must not move the focus.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const set = (patch: Partial<Details>) => {
    onChange({ ...details, ...patch });
  };

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit();
      }}
      data-testid="connect-details"
      noValidate
    >
      <Stack gap="md">
        {network.connectHelp &&
          (password ? (
            <Alert variant="light" color="indigo" icon={<IconKey size={18} />} title="Why an app password?">
              <Text size="sm">
                <LinkifiedText text={network.connectHelp} />
              </Text>
            </Alert>
          ) : (
            <Group gap="xs" wrap="nowrap" align="flex-start">
              <IconInfoCircle size={18} stroke={1.7} style={{ flexShrink: 0, marginTop: 2 }} aria-hidden />
              <Text size="sm">
                <LinkifiedText text={network.connectHelp} />
              </Text>
            </Group>
          ))}

        {!password && network.needsInstance && (
          <TextInput
            ref={instanceRef}
            label={network.instanceLabel || 'Server'}
            description={network.instanceFormat || `The address of the ${network.name} server your account is on.`}
            placeholder={hints.instance}
            value={details.instance}
            onChange={(event) => {
              set({ instance: event.currentTarget.value });
            }}
            error={errors.instance}
            required
            autoComplete="url"
            autoCapitalize="none"
            spellCheck={false}
            data-autofocus
            name="instance"
            data-testid="connect-instance"
          />
        )}

        {password && (
          <>
            <TextInput
              ref={identifierRef}
              label={network.identifierLabel || 'Username'}
              description={network.identifierFormat || undefined}
              placeholder={hints.identifier}
              value={details.identifier}
              onChange={(event) => {
                set({ identifier: event.currentTarget.value });
              }}
              error={errors.identifier}
              required
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              data-autofocus
              name="identifier"
              data-testid="connect-identifier"
            />
            <PasswordInput
              ref={secretRef}
              label={network.secretLabel || 'Password'}
              description={describe(network.secretFormat, 'Not your main password: Herald keeps it only in your system keyring.')}
              placeholder={hints.secret}
              value={details.secret}
              onChange={(event) => {
                set({ secret: event.currentTarget.value });
              }}
              error={errors.secret}
              required
              autoComplete="off"
              name="secret"
              data-testid="connect-secret"
            />
            <div>
              <Anchor
                component="button"
                type="button"
                size="sm"
                onClick={() => {
                  onAdvancedChange(!showAdvanced);
                }}
                aria-expanded={showAdvanced}
                aria-controls={showAdvanced ? 'connect-advanced' : undefined}
                style={{ display: 'inline-flex', alignItems: 'center', gap: 4 }}
              >
                {showAdvanced ? <IconChevronDown size={14} aria-hidden /> : <IconChevronRight size={14} aria-hidden />}
                Advanced: hosting provider
              </Anchor>
              {showAdvanced && (
                <TextInput
                  ref={instanceRef}
                  id="connect-advanced"
                  mt="xs"
                  label={network.instanceLabel || 'Hosting provider'}
                  description={describe(network.instanceFormat, 'Change this only if your account is hosted somewhere else.')}
                  placeholder={network.defaultInstance}
                  value={details.instance}
                  onChange={(event) => {
                    set({ instance: event.currentTarget.value });
                  }}
                  error={errors.instance}
                  autoCapitalize="none"
                  spellCheck={false}
                  name="instance"
                  data-testid="connect-instance"
                />
              )}
            </div>
          </>
        )}

        {problem && (
          <Alert color="red" variant="light" title="Herald could not start the sign-in" data-testid="connect-problem">
            <Text size="sm">{problem.message}</Text>
            {problem.hint && (
              <Text size="sm" fw={500} mt={4}>
                {problem.hint}
              </Text>
            )}
          </Alert>
        )}

        <Group justify="space-between" mt="xs">
          <Button variant="default" onClick={onBack}>
            Back
          </Button>
          <Button type="submit" data-testid="connect-continue">
            Continue to sign in
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
