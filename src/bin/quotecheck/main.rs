//! The `quotecheck` command line, on top of the library's public API: parse the arguments,
//! run one command, and turn its result into an exit code, in one place.

mod args;
mod commands;
mod config;

use std::io::{self, Write};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::Parser;
use quotecheck::{Diagnostic, Error, ReportFormat};

use args::{Cli, Command};

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// Everything passed (0).
    Success,
    /// Some claim falls short, or an `add` was refused (1).
    Failure,
}

/// Why a command could not do its work (exit 2).
#[derive(Debug)]
pub enum Failure {
    /// Problems with the input, and what was therefore not done ("nothing was checked").
    Input(Vec<Diagnostic>, &'static str),
    /// One message, with any lines that follow it.
    Message(String),
}

impl Failure {
    /// `e`, saying what was therefore not done.
    pub fn of(e: Error, not_done: &'static str) -> Failure {
        match e {
            Error::Input(d) => Failure::Input(d, not_done),
            e => Failure::Message(format!("error: {e}")),
        }
    }

    /// A report or listing that could not be written.
    pub fn write(e: io::Error) -> Failure {
        Failure::Message(format!("error: cannot write the report: {e}"))
    }
}

/// What a command returns.
pub type Outcome = Result<ExitStatus, Failure>;

/// Have glibc return large freed blocks to the system. Once a block of up to 32 MB is freed,
/// glibc raises its threshold for mapping blocks on their own to that size, and blocks below
/// it are then kept for reuse. A large source's parts, which are freed once joined, then stay
/// counted in the process however little is in use (32 MB of 396 on a 100 MB source). A
/// fixed threshold of 1 MB keeps the peak at what is in use. Fixing it also fixes the
/// threshold for giving back the free top of the heap at its 128 KB default, which gave
/// back and faulted in again the memory every quote frees (1,000 absent quotes on 100 MB
/// took 1.16 s of system time against 0.44): 32 MB, the most glibc's own adjustment would
/// reach, avoids that.
fn give_back_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets tunables of the allocator, before any thread is started.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 32 << 20);
    }
}

fn main() -> ExitCode {
    give_back_freed_memory();
    let cli = Cli::parse();
    cli.color.write_global();
    // Styling is always produced; anstream strips it where colour is not wanted.
    colored::control::set_override(true);
    report_panics();
    // Read only by the commands that use it, so that a broken one never stops `init`.
    let config = || {
        config::load(cli.config.as_deref(), cli.isolated).map(|mut c| {
            c.reach.outside_root |= cli.allow_outside_root;
            c
        })
    };
    let run = || match cli.command {
        Command::Check(a) => commands::check::run(a, config()),
        Command::Merge(a) => commands::merge::run(a, config()),
        Command::Add(a) => commands::add::run(a, config()),
        Command::Find(a) => commands::find::run(a, config()),
        Command::Extract(a) => commands::extract::run(a),
        Command::Init(a) => commands::init::run(a),
        Command::Validate(a) => commands::validate::run(a, config()),
        Command::Completions(a) => commands::shell::completions(a),
        Command::Man => commands::shell::man(),
        Command::Schema(a) => commands::shell::schema(a),
        Command::Clean(a) => commands::clean::run(a, config()),
    };
    // A bug is still a failure with a message and exit 2 (the hook said what happened).
    let Ok(outcome) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)) else {
        return ExitCode::from(2);
    };
    match outcome {
        Ok(ExitStatus::Success) => ExitCode::SUCCESS,
        Ok(ExitStatus::Failure) => ExitCode::from(1),
        Err(failure) => {
            report_failure(&failure);
            ExitCode::from(2)
        }
    }
}

/// A panic is a bug in quotecheck, never the user's fault: one short paragraph that says so
/// and asks for a report, instead of a backtrace wall (which `RUST_BACKTRACE=1` still gives).
fn report_panics() {
    if std::env::var_os("RUST_BACKTRACE").is_some() {
        return;
    }
    static SAID: AtomicBool = AtomicBool::new(false);
    std::panic::set_hook(Box::new(|info| {
        // Once, though each thread that stops, and the scope waiting for them, panics.
        if SAID.swap(true, Ordering::Relaxed) {
            return;
        }
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let at = info
            .location()
            .map_or(String::new(), |l| format!(" at {}:{}", l.file(), l.line()));
        eprintln!(
            "error: quotecheck stopped on an internal error{at}: {}\n\
             This is a bug in quotecheck, not a problem with your files. Please report it with \
             the command you ran and, if you can, the claims file and source it read \
             (RUST_BACKTRACE=1 adds a backtrace).",
            quotecheck::report::printable(&what)
        );
    }));
}

fn report_failure(failure: &Failure) {
    let mut err = anstream::stderr().lock();
    match failure {
        Failure::Input(diags, not_done) => {
            for d in diags {
                // Styled always; the stream strips it where colour is not wanted.
                let _ = writeln!(err, "{}", d.rendered(true));
            }
            let n = diags.len();
            let s = if n == 1 { "" } else { "s" };
            let _ = writeln!(err, "{n} error{s} found; {not_done}");
        }
        Failure::Message(m) => {
            let _ = writeln!(err, "{m}");
        }
    }
}

/// Output to a reader who may stop reading (`quotecheck check | head`): once the pipe is
/// closed, the rest is dropped without an error, and the command runs on to its exit code.
pub struct GoneIsFine<W> {
    out: W,
    gone: bool,
}

impl<W: Write> GoneIsFine<W> {
    /// Wrap `out`.
    pub fn new(out: W) -> GoneIsFine<W> {
        GoneIsFine { out, gone: false }
    }

    /// `r`, unless it says the reader is gone: then `gone` from now on.
    fn unless_gone<T>(&mut self, r: io::Result<T>, gone: T) -> io::Result<T> {
        match r {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.gone = true;
                STDOUT_GONE.store(true, Ordering::Relaxed);
                Ok(gone)
            }
            r => r,
        }
    }
}

/// Set once a write to standard output found its reader gone.
static STDOUT_GONE: AtomicBool = AtomicBool::new(false);

/// Whether the reader of standard output has gone (`quotecheck check | head -2`): work whose
/// only reader it was can stop.
pub fn stdout_gone() -> bool {
    STDOUT_GONE.load(Ordering::Relaxed)
}

impl<W: Write> Write for GoneIsFine<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.gone {
            return Ok(buf.len());
        }
        let r = self.out.write(buf);
        self.unless_gone(r, buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.gone {
            return Ok(());
        }
        let r = self.out.flush();
        self.unless_gone(r, ())
    }
}

/// Standard output for people: styled where the terminal wants it, a closed pipe fine.
pub fn stdout() -> GoneIsFine<anstream::AutoStream<io::StdoutLock<'static>>> {
    GoneIsFine::new(anstream::stdout().lock())
}

/// Standard output for a report in `format`.
pub fn report_out(format: ReportFormat) -> Box<dyn Write> {
    match format {
        ReportFormat::Human => Box::new(stdout()),
        _ => Box::new(raw_stdout()),
    }
}

/// Standard output for machines: buffered, never styled, a closed pipe fine.
pub fn raw_stdout() -> GoneIsFine<io::BufWriter<io::StdoutLock<'static>>> {
    GoneIsFine::new(io::BufWriter::new(io::stdout().lock()))
}
