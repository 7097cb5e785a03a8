//! Every input the fuzz targets ever failed on (`fuzz/regressions/TARGET/`), and their seed
//! corpora, run through the same code on stable, so that CI keeps them fixed.

use std::path::Path;

fn replay(target: &str, run: fn(&[u8])) -> usize {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut n = 0;
    for dir in ["regressions", "seeds"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir).join(target)) else {
            continue;
        };
        for e in entries {
            let path = e.unwrap().path();
            let data = std::fs::read(&path).unwrap();
            eprintln!("{}", path.display());
            run(&data);
            n += 1;
        }
    }
    n
}

#[test]
fn claims_file_inputs() {
    assert!(replay("claims_file", quotecheck::fuzz::claims_file) > 0);
}

#[test]
fn extraction_inputs() {
    assert!(replay("extraction", quotecheck::fuzz::extraction) > 0);
}

#[test]
fn check_inputs() {
    assert!(replay("check", quotecheck::fuzz::check) > 0);
}
