//! The `senim` binary: the web server and its administration commands.

/// mimalloc instead of glibc's allocator: a profile of autosaves spent about 15 % of the server's
/// CPU in glibc `malloc`/`free` and their arena locks (docs/benchmarks.md).
#[cfg(feature = "ssr")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[cfg(feature = "ssr")]
#[tokio::main]
async fn main() -> std::process::ExitCode {
    senim::server::main().await
}

#[cfg(not(feature = "ssr"))]
fn main() {
    // The browser entry point is `hydrate()` in lib.rs.
}
