//! Ordered parallel streaming: workers take items one at a time, and results are handed on in
//! item order as they arrive.
//!
//! Memory holds only the results that wait for a slower item before them, at most [`AHEAD`]
//! of them however many items there are (a claim that waits for a 100 MB source to be indexed
//! would otherwise let the other workers run through every cached result after it), and no
//! worker waits for another unless it is that far ahead (a claim against a large source costs
//! a thousand times one against a small one, so fixed chunks would leave a core idle).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, mpsc};

/// Batches in flight before workers wait for the consumer.
const IN_FLIGHT: usize = 64;

/// Results a worker gathers before it sends them: each send may wake the consumer, a system
/// call and a switch of threads, which cost more than checking a small claim.
const BATCH: usize = 64;

/// How far past the first result not yet handed on a worker may take items.
pub(crate) const AHEAD: usize = 4096;

/// Apply `work` to every item on all of rayon's threads, and hand each result to `each` with
/// the item's index, in order. An error from `each` stops the workers at their next item.
pub(crate) fn in_order<T: Sync, R: Send, E>(
    items: &[T],
    work: impl Fn(&T) -> R + Sync,
    mut each: impl FnMut(usize, R) -> Result<(), E>,
) -> Result<(), E> {
    let next = AtomicUsize::new(0);
    // The first item not yet handed on; workers too far ahead of it sleep until it moves.
    let handed = AtomicUsize::new(0);
    let sleepers = Mutex::new(0usize);
    let moved = Condvar::new();
    let workers = rayon::current_num_threads().clamp(1, items.len().max(1));
    std::thread::scope(|scope| {
        let (tx, rx) = mpsc::sync_channel::<Vec<(usize, R)>>(IN_FLIGHT);
        for _ in 0..workers {
            let tx = tx.clone();
            let (next, work, handed, sleepers, moved) = (&next, &work, &handed, &sleepers, &moved);
            scope.spawn(move || {
                let mut batch: Vec<(usize, R)> = Vec::new();
                // The receiver is gone when the consumer failed: stop.
                let send = |batch: &mut Vec<(usize, R)>| {
                    batch.is_empty() || tx.send(std::mem::take(batch)).is_ok()
                };
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(n) else { break };
                    if n >= handed.load(Ordering::Acquire) + AHEAD {
                        // What this worker holds may be what the consumer waits for.
                        if !send(&mut batch) {
                            break;
                        }
                        let mut asleep = sleepers.lock().unwrap_or_else(|e| e.into_inner());
                        while n >= handed.load(Ordering::Acquire) + AHEAD {
                            *asleep += 1;
                            asleep = moved.wait(asleep).unwrap_or_else(|e| e.into_inner());
                            *asleep -= 1;
                        }
                    }
                    batch.push((n, work(item)));
                    // Sent at once when it is the result the consumer waits for (the first
                    // of a batch is its worker's earliest).
                    let due = batch
                        .first()
                        .is_some_and(|&(first, _)| first <= handed.load(Ordering::Acquire));
                    if (due || batch.len() >= BATCH) && !send(&mut batch) {
                        break;
                    }
                }
                send(&mut batch);
            });
        }
        drop(tx);
        let mut waiting: BTreeMap<usize, R> = BTreeMap::new();
        let mut first = 0;
        // The receiver is moved into this closure, so that an error drops it and unblocks
        // workers waiting to send.
        let result = (|| {
            for batch in rx {
                waiting.extend(batch);
                while let Some(r) = waiting.remove(&first) {
                    each(first, r)?;
                    first += 1;
                }
                handed.store(first, Ordering::Release);
                // Taken after the store, so that a worker that saw the old value is asleep
                // by now. A wake-up is a system call: only for workers that sleep.
                if *sleepers.lock().unwrap_or_else(|e| e.into_inner()) > 0 {
                    moved.notify_all();
                }
            }
            Ok(())
        })();
        if result.is_err() {
            // Workers see the channel closed at their next send; none may wait for a result
            // that will never be handed on.
            next.store(items.len(), Ordering::Relaxed);
            handed.store(usize::MAX / 2, Ordering::Release);
            let _asleep = sleepers.lock().unwrap_or_else(|e| e.into_inner());
            moved.notify_all();
        }
        result
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_item_order_whatever_their_cost() {
        let items: Vec<u64> = (0..300).collect();
        let mut seen = Vec::new();
        let work = |&i: &u64| {
            // Uneven work: every seventh item is slow.
            let spin = if i % 7 == 0 { 20_000 } else { 10 };
            (0..spin).fold(i, |a, b| a.wrapping_mul(31).wrapping_add(b)) ^ i
        };
        let r: Result<(), ()> = in_order(&items, work, |n, _| {
            seen.push(n);
            Ok(())
        });
        assert!(r.is_ok());
        assert_eq!(seen, (0..300).collect::<Vec<usize>>());
    }

    #[test]
    fn workers_never_run_more_than_ahead_of_a_slow_item() {
        // Item 0 is slow; the others are instant. No worker may finish an item `AHEAD` or more
        // past the first one not handed on.
        let items: Vec<usize> = (0..3 * AHEAD).collect();
        let most = std::sync::atomic::AtomicUsize::new(0);
        let work = |&i: &usize| {
            if i == 0 {
                std::thread::sleep(std::time::Duration::from_millis(200));
            }
            most.fetch_max(i, Ordering::Relaxed);
            i
        };
        let mut seen_first_after = None;
        let r: Result<(), ()> = in_order(&items, work, |n, _| {
            if n == 0 {
                seen_first_after = Some(most.load(Ordering::Relaxed));
            }
            Ok(())
        });
        assert!(r.is_ok());
        let ahead = seen_first_after.unwrap();
        assert!(
            ahead < AHEAD + 2,
            "a worker ran {ahead} items past a slow one"
        );
    }

    #[test]
    fn an_error_from_the_consumer_stops_the_run() {
        let items: Vec<u32> = (0..10_000).collect();
        let mut taken = 0;
        let r = in_order(
            &items,
            |&i| i,
            |n, _| {
                taken += 1;
                if n == 5 { Err("stop") } else { Ok(()) }
            },
        );
        assert_eq!(r, Err("stop"));
        assert_eq!(taken, 6);
    }
}
