import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TeamView } from '../../api/types';
import { mockedBinding } from '../../test/bindings';
import { teamFixture } from '../../test/fixtures';
import { renderWithProviders } from '../../test/render';
import { type FakeRuntime, installRuntime } from '../../test/runtime';
import * as Teams from '../../wailsjs/go/service/Teams';
import { TeamsPanel } from './TeamsPanel';

vi.mock('../../wailsjs/go/service/Teams', () => ({ List: vi.fn(), Create: vi.fn(), Rename: vi.fn(), Delete: vi.fn() }));

const list = mockedBinding<TeamView[]>(Teams.List);
const create = mockedBinding<TeamView>(Teams.Create);
const rename = mockedBinding<TeamView>(Teams.Rename);
const remove = mockedBinding<undefined>(Teams.Delete);

let runtime: FakeRuntime;

beforeEach(() => {
  runtime = installRuntime();
  list.mockResolvedValue([teamFixture({ id: 1, name: 'Shop', channels: 2 }), teamFixture({ id: 2, name: 'Brand', channels: 1 })]);
});

afterEach(() => {
  runtime.uninstall();
});

const rows = async () => screen.findAllByTestId('team-row');

describe('Settings → Teams', () => {
  it('lists the teams with their channel counts', async () => {
    renderWithProviders(<TeamsPanel />);
    const [shop, brand] = await rows();
    expect(within(shop!).getByTestId('team-name')).toHaveTextContent('Shop');
    expect(within(shop!).getByTestId('team-channels')).toHaveTextContent('2 channels');
    expect(within(brand!).getByTestId('team-channels')).toHaveTextContent('1 channel');
  });

  it('says when there is no team yet', async () => {
    list.mockResolvedValue([]);
    renderWithProviders(<TeamsPanel />);
    expect(await screen.findByTestId('teams-empty')).toHaveTextContent('No teams yet');
  });

  it('creates a team, and shows a name error on the field', async () => {
    create.mockRejectedValueOnce({ code: 'invalid_input', field: 'name', message: 'A team called "Shop" already exists.' });
    const { user } = renderWithProviders(<TeamsPanel />);
    await rows();
    const name = screen.getByRole('textbox', { name: 'New team' });
    await user.type(name, 'Shop');
    await user.click(screen.getByRole('button', { name: 'Create team' }));
    expect(await screen.findByText('A team called "Shop" already exists.')).toBeInTheDocument();
    expect(name).toHaveAttribute('aria-invalid', 'true');

    create.mockResolvedValueOnce(teamFixture({ id: 3, name: 'Clients' }));
    list.mockResolvedValue([
      teamFixture({ id: 1, name: 'Shop', channels: 2 }),
      teamFixture({ id: 2, name: 'Brand', channels: 1 }),
      teamFixture({ id: 3, name: 'Clients' }),
    ]);
    await user.clear(name);
    await user.type(name, 'Clients{Enter}');
    expect(create).toHaveBeenLastCalledWith('Clients');
    await waitFor(async () => {
      expect(await rows()).toHaveLength(3);
    });
    expect(name).toHaveValue('');
    expect(screen.getByText('Team created')).toBeInTheDocument();
  });

  it('renames a team inline', async () => {
    rename.mockResolvedValue(teamFixture({ id: 1, name: 'Webshop' }));
    const { user } = renderWithProviders(<TeamsPanel />);
    await rows();
    await user.click(screen.getByRole('button', { name: 'Rename Shop' }));
    const input = screen.getByRole('textbox', { name: 'New name for Shop' });
    expect(input).toHaveFocus();
    list.mockResolvedValue([teamFixture({ id: 1, name: 'Webshop', channels: 2 }), teamFixture({ id: 2, name: 'Brand', channels: 1 })]);
    await user.clear(input);
    await user.type(input, 'Webshop{Enter}');
    expect(rename).toHaveBeenCalledWith(1, 'Webshop');
    expect(await screen.findByText('Webshop')).toBeInTheDocument();
  });

  it('keeps the old name on Escape and shows a rename error', async () => {
    rename.mockRejectedValue({ code: 'invalid_input', field: 'name', message: 'Team names cannot contain commas.' });
    const { user } = renderWithProviders(<TeamsPanel />);
    await rows();
    await user.click(screen.getByRole('button', { name: 'Rename Brand' }));
    const input = screen.getByRole('textbox', { name: 'New name for Brand' });
    await user.type(input, ', Inc');
    await user.click(screen.getByRole('button', { name: 'Save the name' }));
    expect(await screen.findByText('Team names cannot contain commas.')).toBeInTheDocument();
    await user.type(input, '{Escape}');
    expect(screen.queryByRole('textbox', { name: 'New name for Brand' })).not.toBeInTheDocument();
    expect(screen.getByText('Brand')).toBeInTheDocument();
  });

  it('deletes a team after saying its channels are kept', async () => {
    remove.mockResolvedValue(undefined);
    const { user } = renderWithProviders(<TeamsPanel />);
    await rows();
    await user.click(screen.getByRole('button', { name: 'Delete Shop' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete the team Shop?' });
    expect(dialog).toHaveTextContent('Its 2 channels stay in Herald');
    list.mockResolvedValue([teamFixture({ id: 2, name: 'Brand', channels: 1 })]);
    await user.click(within(dialog).getByRole('button', { name: 'Delete team' }));
    expect(remove).toHaveBeenCalledWith(1);
    expect(await screen.findByText('Shop is gone; its channels were kept.')).toBeInTheDocument();
    await waitFor(async () => {
      expect(await rows()).toHaveLength(1);
    });
  });

  it('reloads when the backend says teams or channels changed', async () => {
    renderWithProviders(<TeamsPanel />);
    await rows();
    list.mockResolvedValue([teamFixture({ id: 1, name: 'Shop', channels: 3 })]);
    runtime.emit('channels:changed');
    await waitFor(async () => {
      expect(within((await rows())[0]!).getByTestId('team-channels')).toHaveTextContent('3 channels');
    });
  });
});
