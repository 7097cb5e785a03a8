//! The matcher on fixed inputs: a public-domain book (tests/eval/sources/sherlock.txt, about
//! 575 KB) and quotes that are exact, approximate (a few character edits) and absent.
//! End-to-end figures at 10 MB and 100 MB come from bench/run.sh (docs/performance.md).

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use quotecheck::matcher::{Index, Pattern, Plan, max_distance, search_with};
use quotecheck::testing::normalize;
use quotecheck::{Document, read_document};

fn book() -> Document {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/eval/sources/sherlock.txt");
    read_document(&path).expect("the bundled book")
}

fn matcher(c: &mut Criterion) {
    let doc = book();
    let index = Index::build(&doc.norm);
    let quotes = [
        (
            "exact",
            "It is an old maxim of mine that when you have excluded the impossible, whatever remains, however improbable, must be the truth.",
        ),
        (
            "approximate",
            "It is an old maxim of mine that when you have eliminated the impossible, whatever remains, however improbable, must be the truth.",
        ),
        (
            "absent",
            "The world is full of obvious things which nobody by any chance ever observes, said the detective to his friend.",
        ),
    ];
    for (name, quote) in quotes {
        let q = normalize(quote);
        let max_d = max_distance(q.chars.len(), 0.8);
        for (plan, label) in [(Plan::Auto, "indexed"), (Plan::Scan, "exhaustive")] {
            c.bench_function(&format!("{name}/{label}"), |b| {
                b.iter(|| {
                    search_with(
                        &doc.norm,
                        &index,
                        Pattern::plain(black_box(&q)),
                        max_d,
                        plan,
                    )
                })
            });
        }
    }
    c.bench_function("normalize the book", |b| {
        b.iter(|| normalize(black_box(&doc.raw)))
    });
    c.bench_function("index the book", |b| {
        b.iter(|| Index::build(black_box(&doc.norm)))
    });
    c.bench_function("load and index the book", |b| {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/eval/sources/sherlock.txt");
        b.iter(|| {
            let d = read_document(&path).unwrap();
            Index::build(&d.norm)
        })
    });
}

criterion_group!(benches, matcher);
criterion_main!(benches);
