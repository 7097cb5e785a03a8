fn main() -> std::process::ExitCode {
    quotecheck::cli::main()
}
