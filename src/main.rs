// Pages are built from many small values on every core at once; mimalloc's thread-local
// free lists serve such allocations faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(aushang::cli::run());
}
