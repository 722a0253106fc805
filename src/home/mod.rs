//! The role-aware home page: what the signed-in user can do today, or, for visitors, what
//! Senim is and how to start.

mod pages;

pub use pages::HomePage;
