// A part of the page that throws while rendering shows one sentence instead of blanking the app.
import { Component, type ReactNode } from "react";

export class ErrorBoundary extends Component<{ children: ReactNode; what: string }, { error: string | null }> {
  state = { error: null as string | null };

  static getDerivedStateFromError(e: unknown) {
    return { error: e instanceof Error ? e.message : String(e) };
  }

  render() {
    if (this.state.error) {
      return (
        <div className="problem" role="alert">
          <p>
            The {this.props.what} could not be shown ({this.state.error}). Reload the page to try again.
          </p>
        </div>
      );
    }
    return this.props.children;
  }
}
