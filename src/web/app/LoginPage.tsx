import { useState, type FormEvent } from 'react';
import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconAlertTriangle, IconBolt } from '@tabler/icons-react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { useSession } from '../hooks/useSession.js';
import { ApiError } from '../core/api.js';

/** only same-app paths: an open redirect through ?next= would be a phishing aid */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function LoginPage() {
  const { session, login } = useSession();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<{ message: string; hint: string | null } | null>(null);
  const [busy, setBusy] = useState(false);
  const next = safeNext(params.get('next'));

  if (session.status === 'user') return <Navigate to={next} replace />;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(email.trim(), password);
      navigate(next, { replace: true });
    } catch (err) {
      const hint = err instanceof ApiError ? err.hint : null;
      setError({ message: err instanceof Error ? err.message : String(err), hint });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Center mih="100vh" bg="var(--mantine-color-body)" p="md">
      <Paper withBorder shadow="sm" radius="md" p="xl" w={380}>
        <form onSubmit={submit} aria-label="Log in">
          <Stack gap="md">
            <Stack gap={4} align="center">
              <IconBolt size={28} color="var(--mantine-color-teal-6)" />
              <Title order={3}>pglive</Title>
              <Text size="sm" c="dimmed">Log in to your database</Text>
            </Stack>
            {error && (
              <Alert color="red" variant="light" icon={<IconAlertTriangle size={16} />} role="alert">
                <Text size="sm">{error.message}</Text>
                {error.hint && <Text size="xs" c="dimmed">{error.hint}</Text>}
              </Alert>
            )}
            <TextInput label="E-mail" type="email" name="email" autoComplete="username" required autoFocus
              value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
            <PasswordInput label="Password" name="password" autoComplete="current-password" required
              value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
            <Button type="submit" loading={busy} fullWidth>Log in</Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
