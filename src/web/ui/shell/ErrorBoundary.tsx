/** Never a blank screen: a render error shows what happened and a way out. */
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { ErrorView } from './ErrorView.js';

interface Props {
  children: ReactNode;
  /** reset when this changes (e.g. the route), so one broken page does not stick */
  resetKey?: unknown;
}

interface State {
  error: Error | null;
  key: unknown;
}

export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null, key: this.props.resetKey };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    return props.resetKey !== state.key ? { error: null, key: props.resetKey } : null;
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('pglive: render error', error, info.componentStack);
  }

  override render(): ReactNode {
    if (this.state.error)
      return <ErrorView title="Something went wrong on this page" error={this.state.error} onRetry={() => this.setState({ error: null })} />;
    return this.props.children;
  }
}
