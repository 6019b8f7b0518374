//! Curia keeper: settles challenges past their deadline and answers availability challenges.
//!
//! Not built yet: this crate is a placeholder until the keeper issue lands.
