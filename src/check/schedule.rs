//! Ordered parallel streaming: workers take items one at a time, and results are handed on in
//! item order as they arrive.
//!
//! Memory holds only the results that wait for a slower item before them, however many items
//! there are, and no worker waits for another (a claim against a large source costs a
//! thousand times one against a small one, so fixed chunks would leave a core idle).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

/// Results in flight before workers wait for the consumer.
const IN_FLIGHT: usize = 1024;

/// Apply `work` to every item on all of rayon's threads, and hand each result to `each` with
/// the item's index, in order. An error from `each` stops the workers at their next item.
pub(crate) fn in_order<T: Sync, R: Send, E>(
    items: &[T],
    work: impl Fn(&T) -> R + Sync,
    mut each: impl FnMut(usize, R) -> Result<(), E>,
) -> Result<(), E> {
    let next = AtomicUsize::new(0);
    let workers = rayon::current_num_threads().clamp(1, items.len().max(1));
    std::thread::scope(|scope| {
        let (tx, rx) = mpsc::sync_channel::<(usize, R)>(IN_FLIGHT);
        for _ in 0..workers {
            let tx = tx.clone();
            let (next, work) = (&next, &work);
            scope.spawn(move || {
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(n) else { break };
                    // The receiver is gone when the consumer failed: stop.
                    if tx.send((n, work(item))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut waiting: BTreeMap<usize, R> = BTreeMap::new();
        let mut due = 0;
        for (n, r) in rx {
            waiting.insert(n, r);
            while let Some(r) = waiting.remove(&due) {
                if let Err(e) = each(due, r) {
                    // Workers see the channel closed at their next item.
                    next.store(items.len(), Ordering::Relaxed);
                    return Err(e);
                }
                due += 1;
            }
        }
        Ok(())
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
