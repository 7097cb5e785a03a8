//! `extract`: the quotations of a draft, printed as claims YAML or appended to a claims file.

use std::io::Write;

use quotecheck::authoring::{self, NewClaim};
use quotecheck::{ClaimsFile, Diagnostic, Error};

use crate::args::ExtractArgs;
use crate::{ExitStatus, Failure, Outcome};

pub fn run(args: ExtractArgs) -> Outcome {
    let draft = std::fs::read_to_string(&args.draft).map_err(|e| {
        let d = Diagnostic::error(format!("cannot read the draft: {e}")).in_file(&args.draft);
        Failure::Input(vec![d], "nothing was extracted")
    })?;
    let mut found = authoring::extract(&draft);
    let mut taken: Vec<String> = Vec::new();
    let mut already = 0;
    if let Some(file) = &args.append {
        let not_done = "nothing was appended";
        let text = quotecheck::read_claims_text(file).map_err(|e| Failure::of(e, not_done))?;
        let cf = ClaimsFile::parse(file, &text).map_err(|e| Failure::of(e, not_done))?;
        // A quotation the file already claims is not added again.
        let claimed: std::collections::HashSet<String> = cf
            .claims
            .iter()
            .map(|c| authoring::same_words(&c.text))
            .collect();
        let before = found.len();
        found.retain(|e| !claimed.contains(&authoring::same_words(&e.quote)));
        already = before - found.len();
        taken.extend(cf.claims.into_iter().map(|c| c.id));
    }
    let mut out = crate::stdout();
    let header = match &args.append {
        None => writeln!(
            out,
            "# Quotations found in {} by `quotecheck extract`\nclaims:",
            args.draft.display()
        ),
        Some(_) => Ok(()),
    };
    header.map_err(Failure::write)?;
    for e in &found {
        let id = authoring::generate_id(&e.quote, &taken);
        taken.push(id.clone());
        let claim = NewClaim {
            id: Some(id.clone()),
            text: e.quote.clone(),
            by: e.by.clone(),
            source: args.source.clone(),
            note: Some(format!("{}:{}", args.draft.display(), e.line)),
            ..Default::default()
        };
        match &args.append {
            Some(file) => match authoring::append_to_file(file, &id, &claim) {
                Ok(_) => {}
                Err(Error::Write { source, .. }) => {
                    return Err(Failure::Message(format!(
                        "error: cannot write {}: {source}",
                        file.display()
                    )));
                }
                Err(e) => return Err(Failure::of(e, "the claims before it were appended")),
            },
            None => {
                let entry = authoring::append_entry("claims:\n", &id, &claim)
                    .map_err(|why| Failure::Message(format!("error: {why}")))?;
                let entry = entry.strip_prefix("claims:\n").unwrap_or(&entry);
                write!(out, "{entry}").map_err(Failure::write)?;
            }
        }
    }
    out.flush().map_err(Failure::write)?;
    let with_speaker = found.iter().filter(|e| e.by.is_some()).count();
    let appended = args.append.as_ref().map_or(String::new(), |f| {
        let skipped = match already {
            0 => String::new(),
            n => format!(" ({n} already there left out)"),
        };
        format!("; appended to {}{skipped}", f.display())
    });
    eprintln!(
        "{} quotations found in {}, {with_speaker} with a speaker{appended}",
        found.len(),
        args.draft.display(),
    );
    Ok(ExitStatus::Success)
}
