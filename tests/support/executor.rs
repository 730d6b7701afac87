//! A tiny single-threaded executor for tests: `block_on` and `join_all` (which polls many futures
//! round-robin, so they really overlap at their `.await` points).

#![allow(dead_code)]

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, RawWaker, RawWakerVTable, Waker};

/// Polls beyond which a future is declared stuck.
const MAX_ROUNDS: usize = 100_000;

fn noop_raw_waker() -> RawWaker {
    fn clone(_: *const ()) -> RawWaker {
        noop_raw_waker()
    }
    fn noop(_: *const ()) {}
    static VTABLE: RawWakerVTable = RawWakerVTable::new(clone, noop, noop, noop);
    RawWaker::new(std::ptr::null(), &VTABLE)
}

fn noop_waker() -> Waker {
    // SAFETY: the vtable's functions do nothing and never touch the data pointer.
    unsafe { Waker::from_raw(noop_raw_waker()) }
}

/// Runs one future to completion (every poll is a busy retry: fine for scripted fakes).
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let waker = noop_waker();
    let mut cx = Context::from_waker(&waker);
    for _ in 0..MAX_ROUNDS {
        if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return out;
        }
    }
    panic!("future did not complete (deadlock?)");
}

/// Runs many futures concurrently on this thread; outputs in input order.
pub fn join_all<F: Future>(futures: Vec<F>) -> Vec<F::Output> {
    let mut futures: Vec<Pin<Box<F>>> = futures.into_iter().map(Box::pin).collect();
    let mut outputs: Vec<Option<F::Output>> = futures.iter().map(|_| None).collect();
    let waker = noop_waker();
    let mut cx = Context::from_waker(&waker);
    for _ in 0..MAX_ROUNDS {
        let mut pending = false;
        for (future, output) in futures.iter_mut().zip(outputs.iter_mut()) {
            if output.is_none() {
                match future.as_mut().poll(&mut cx) {
                    Poll::Ready(out) => *output = Some(out),
                    Poll::Pending => pending = true,
                }
            }
        }
        if !pending {
            return outputs.into_iter().map(|o| o.expect("ready")).collect();
        }
    }
    panic!("futures did not complete (deadlock?)");
}

/// Polls a pinned future once; `Some` when it finished.
pub fn poll_once<F: Future>(future: Pin<&mut F>) -> Option<F::Output> {
    let waker = noop_waker();
    let mut cx = Context::from_waker(&waker);
    match future.poll(&mut cx) {
        Poll::Ready(out) => Some(out),
        Poll::Pending => None,
    }
}
