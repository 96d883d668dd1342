fn main() {
    std::process::exit(aushang::cli::run());
}
