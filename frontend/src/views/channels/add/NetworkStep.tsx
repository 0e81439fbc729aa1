import { Badge, Button, Card, Group, List, SimpleGrid, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconBrowser, IconInfoCircle, IconKey } from '@tabler/icons-react';
import type { NetworkInfo } from '../../../api/types';
import { capabilityText, signInMethod } from '../channelText';

/** What Herald can do with a network, and what the network's API does not allow. */
export function NetworkAbilities({ network }: { network: NetworkInfo }) {
  return (
    <Stack gap="xs">
      <div>
        <Text size="xs" fw={600} c="dimmed" tt="uppercase" mb={6}>
          What Herald can do
        </Text>
        <Group gap={6}>
          {network.capabilities.map((capability) => (
            <Badge key={capability} variant="light" color="gray" radius="sm" tt="none" fw={500}>
              {capabilityText(capability)}
            </Badge>
          ))}
        </Group>
      </div>
      {network.limitations.length > 0 && (
        <div>
          <Text size="xs" fw={600} c="dimmed" tt="uppercase" mb={6}>
            Limitations
          </Text>
          <List
            size="sm"
            spacing={4}
            icon={
              <ThemeIcon size={16} radius="xl" variant="light" color="gray" aria-hidden>
                <IconInfoCircle size={12} />
              </ThemeIcon>
            }
          >
            {network.limitations.map((limitation) => (
              <List.Item key={`${limitation.capability}:${limitation.text}`}>{limitation.text}</List.Item>
            ))}
          </List>
        </div>
      )}
    </Stack>
  );
}

interface NetworkStepProps {
  networks: NetworkInfo[];
  onPick: (network: NetworkInfo) => void;
}

/** Step 1: which network to connect. */
export function NetworkStep({ networks, onPick }: NetworkStepProps) {
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
      {networks.map((network) => {
        const Icon = network.auth === 'app_password' ? IconKey : IconBrowser;
        return (
          <Card
            key={network.id}
            component="section"
            aria-labelledby={`network-${network.id}`}
            padding="md"
            data-testid="network-option"
            data-network={network.id}
          >
            <Stack gap="sm" h="100%" justify="space-between">
              <Stack gap="sm">
                <div>
                  <Title order={3} fz="lg" id={`network-${network.id}`}>
                    {network.name}
                  </Title>
                  <Group gap={6} mt={2} wrap="nowrap">
                    <Icon size={15} stroke={1.7} aria-hidden />
                    <Text size="sm" c="dimmed">
                      {signInMethod(network)}
                    </Text>
                  </Group>
                </div>
                <NetworkAbilities network={network} />
              </Stack>
              <Button
                fullWidth
                mt="xs"
                onClick={() => {
                  onPick(network);
                }}
                data-testid={`choose-network-${network.id}`}
              >
                Choose {network.name}
              </Button>
            </Stack>
          </Card>
        );
      })}
    </SimpleGrid>
  );
}
