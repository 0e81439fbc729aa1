import { Alert, Button, Group, Loader, Modal, Stack, Stepper, Text } from '@mantine/core';
import { useState } from 'react';
import { finishConnect, loginWithPassword, startConnect } from '../../../api/channels';
import { type AppError, toAppError } from '../../../api/errors';
import type { ConnectResult, NetworkInfo } from '../../../api/types';
import { ErrorPanel } from '../../../components/ErrorPanel';
import { TeamPicker } from '../../../components/TeamPicker';
import { useConnectSession } from '../../../hooks/useConnectSession';
import type { Load } from '../../../hooks/useLoad';
import { SignInProblem, SignInProgress } from '../SignInProgress';
import { ChooseChannelsStep } from './ChooseChannelsStep';
import { ConnectDone } from './ConnectDone';
import { type Details, DetailsStep, type FieldErrors, fieldErrorOf } from './DetailsStep';
import { NetworkStep } from './NetworkStep';

type Step = 'network' | 'details' | 'signin' | 'choose' | 'teams' | 'done';

const STEP_INDEX: Record<Step, number> = { network: 0, details: 1, signin: 2, choose: 3, teams: 4, done: 5 };

const EMPTY: Details = { instance: '', identifier: '', secret: '' };

interface AddChannelsModalProps {
  networks: Load<NetworkInfo[]>;
  onClose: () => void;
  /** Called after channels were connected or refreshed. */
  onConnected: () => void;
}

/**
 * Add channels: pick a network, sign in at it, choose the channels the
 * sign-in can see, put new ones in teams, and finish. Nothing is added
 * until FinishConnect succeeds. Closing the dialog (Escape too) cancels a
 * sign-in in progress.
 */
export function AddChannelsModal({ networks, onClose, onConnected }: AddChannelsModalProps) {
  const [step, setStep] = useState<Step>('network');
  const [network, setNetwork] = useState<NetworkInfo | undefined>(undefined);
  const [details, setDetails] = useState<Details>(EMPTY);
  const [advanced, setAdvanced] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<AppError | undefined>(undefined);
  const session = useConnectSession();
  const [selected, setSelected] = useState<string[]>([]);
  const [teamIds, setTeamIds] = useState<number[]>([]);
  const [finishing, setFinishing] = useState(false);
  const [finishError, setFinishError] = useState<AppError | undefined>(undefined);
  const [result, setResult] = useState<ConnectResult | undefined>(undefined);

  const snap = session.snapshot;
  // A sign-in that finds exactly one new channel selects it: there is
  // nothing to choose. Done once per sign-in, so it can be unticked.
  const readyId = snap?.stage === 'ready' ? snap.id : undefined;
  const [preselectedFor, setPreselectedFor] = useState<string | undefined>(undefined);
  if (readyId && readyId !== preselectedFor) {
    setPreselectedFor(readyId);
    const only = snap?.new.length === 1 ? snap.new[0] : undefined;
    if (only) {
      setSelected([only.remoteId]);
    }
  }
  // A sign-in that settled moves the dialog on by itself: to the channels
  // when it is ready, back to the form when the network faulted a field.
  const sessionFieldErrors = step === 'signin' && snap?.stage === 'failed' && snap.error ? fieldErrorOf(snap.error) : undefined;
  let view: Step = step;
  if (step === 'signin' && snap?.stage === 'ready') {
    view = 'choose';
  } else if (sessionFieldErrors) {
    view = 'details';
  }

  const pick = (next: NetworkInfo) => {
    setNetwork(next);
    setDetails({ ...EMPTY, instance: next.auth === 'app_password' ? next.defaultInstance : '' });
    setAdvanced(false);
    setErrors({});
    setProblem(undefined);
    setStep('details');
  };

  const failedToStart = (err: unknown) => {
    const error = toAppError(err);
    const onField = fieldErrorOf(error);
    setErrors(onField ?? {});
    setProblem(onField ? undefined : error);
    session.reset();
    setStep('details');
  };

  const signIn = async () => {
    if (!network) {
      return;
    }
    setErrors({});
    setProblem(undefined);
    setSelected([]);
    session.reset();
    const instance = details.instance.trim();
    setStep('signin');
    if (network.auth === 'app_password') {
      const secret = details.secret;
      // The app password leaves the form's state the moment it is sent.
      setDetails((d) => ({ ...d, secret: '' }));
      try {
        session.track(await loginWithPassword(network.id, instance, details.identifier.trim(), secret, 0));
      } catch (err) {
        failedToStart(err);
      }
      return;
    }
    try {
      session.track(await startConnect(network.id, instance));
    } catch (err) {
      failedToStart(err);
    }
  };

  const backToDetails = () => {
    session.cancel();
    setFinishError(undefined);
    setStep('details');
  };

  const finish = async () => {
    if (!snap) {
      return;
    }
    const newIds = new Set(snap.new.map((account) => account.remoteId));
    setFinishing(true);
    setFinishError(undefined);
    try {
      const done = await finishConnect(snap.id, selected, selected.some((id) => newIds.has(id)) ? teamIds : []);
      session.reset();
      setResult(done);
      setStep('done');
      onConnected();
    } catch (err) {
      setFinishError(toAppError(err));
    } finally {
      setFinishing(false);
    }
  };

  const networkName = network?.name ?? 'the network';
  const signingIn = view === 'signin';

  return (
    <Modal
      opened
      onClose={onClose}
      title={network && view !== 'network' ? `Add ${network.name} channels` : 'Add channels'}
      size="xl"
      centered
      closeOnClickOutside={false}
      closeButtonProps={{ 'aria-label': signingIn ? 'Cancel the sign-in and close' : 'Close' }}
      data-testid="add-channels"
    >
      <Stepper active={STEP_INDEX[view]} size="sm" allowNextStepsSelect={false} data-testid="add-channels-stepper" data-step={view}>
        <Stepper.Step label="Network">
          <Stack gap="md">
            <Text size="sm">Which network is the channel on?</Text>
            {networks.error && (
              <ErrorPanel title="Herald could not list its networks" error={networks.error} onRetry={networks.reload} />
            )}
            {!networks.data && !networks.error && (
              <Group gap="sm" role="status">
                <Loader size="sm" aria-hidden />
                <Text size="sm">Loading the networks…</Text>
              </Group>
            )}
            {networks.data && <NetworkStep networks={networks.data} onPick={pick} />}
          </Stack>
        </Stepper.Step>

        <Stepper.Step label="Details">
          {network && (
            <DetailsStep
              network={network}
              details={details}
              onChange={(next) => {
                setDetails(next);
                setErrors({});
                if (step === 'signin') {
                  // Editing after the network faulted a field: that sign-in is over.
                  session.reset();
                  setStep('details');
                }
              }}
              errors={sessionFieldErrors ?? errors}
              problem={problem}
              advanced={advanced}
              onAdvancedChange={setAdvanced}
              onBack={() => {
                setStep('network');
              }}
              onSubmit={() => void signIn()}
            />
          )}
        </Stepper.Step>

        <Stepper.Step label="Sign in">
          {snap && (snap.stage === 'failed' || snap.stage === 'cancelled') ? (
            <SignInProblem
              error={snap.error}
              stage={snap.stage}
              onRetry={() => {
                session.reset();
                setStep('details');
              }}
              onClose={onClose}
            />
          ) : network?.auth === 'app_password' ? (
            <Group gap="md" role="status" aria-live="polite" data-testid="signin-progress" data-stage="exchanging">
              <Loader size="md" aria-hidden />
              <Text fw={600}>Signing in to {networkName}…</Text>
            </Group>
          ) : (
            <SignInProgress snapshot={snap} networkName={networkName} onCancel={backToDetails} />
          )}
        </Stepper.Step>

        <Stepper.Step label="Channels">
          {snap && (
            <ChooseChannelsStep
              snapshot={snap}
              selected={selected}
              onSelectedChange={setSelected}
              onStartOver={backToDetails}
              finishing={finishing}
              onNext={() => {
                const newIds = new Set(snap.new.map((account) => account.remoteId));
                if (selected.some((id) => newIds.has(id))) {
                  setStep('teams');
                } else {
                  void finish();
                }
              }}
            />
          )}
          {view === 'choose' && finishError && <FinishProblem error={finishError} onStartOver={backToDetails} />}
        </Stepper.Step>

        <Stepper.Step label="Teams">
          <Stack gap="md">
            <TeamPicker
              label="Teams for the new channels"
              description="Teams group channels, for example per client or brand. This is optional and you can change it later."
              value={teamIds}
              onChange={setTeamIds}
              error={finishError?.field === 'teams' ? finishError.message : undefined}
            />
            {finishError && finishError.field !== 'teams' && <FinishProblem error={finishError} onStartOver={backToDetails} />}
            <Group justify="space-between">
              <Button
                variant="default"
                onClick={() => {
                  setFinishError(undefined);
                  setStep('choose');
                }}
              >
                Back
              </Button>
              <Button onClick={() => void finish()} loading={finishing} data-testid="connect-finish">
                Finish
              </Button>
            </Group>
          </Stack>
        </Stepper.Step>

        <Stepper.Completed>
          {result && <ConnectDone result={result} onDone={onClose} />}
        </Stepper.Completed>
      </Stepper>
    </Modal>
  );
}

function FinishProblem({ error, onStartOver }: { error: AppError; onStartOver: () => void }) {
  const gone = error.code === 'expired';
  return (
    <Alert color="red" variant="light" title="Nothing was connected" mt="md" data-testid="finish-problem" data-code={error.code}>
      <Stack gap={6}>
        <Text size="sm">{error.message}</Text>
        {error.hint && (
          <Text size="sm" fw={500}>
            {error.hint}
          </Text>
        )}
        {gone && (
          <Group>
            <Button size="xs" variant="white" color="red" onClick={onStartOver}>
              Start again
            </Button>
          </Group>
        )}
      </Stack>
    </Alert>
  );
}
