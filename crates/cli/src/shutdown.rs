//! Ctrl-C and SIGTERM.

use std::future::Future;

use tokio::signal::unix::{signal as register, Signal, SignalKind};

/// Resolves on the first Ctrl-C or SIGTERM after this call.
///
/// The handlers are installed by the call itself, not when the future is first polled: the
/// server calls it before it prints where it listens, so a signal sent as soon as the
/// address appears stops it gracefully instead of ending the process with the signal's
/// default action.
pub fn signal() -> impl Future<Output = ()> {
    let interrupt = register(SignalKind::interrupt());
    let terminate = register(SignalKind::terminate());
    async move {
        tokio::select! {
            () = first(interrupt) => {},
            () = first(terminate) => {},
        }
    }
}

/// The next delivery of a registered signal; never, if it could not be registered.
async fn first(registered: std::io::Result<Signal>) {
    match registered {
        Ok(mut signal) => {
            signal.recv().await;
        }
        Err(_) => std::future::pending::<()>().await,
    }
}
