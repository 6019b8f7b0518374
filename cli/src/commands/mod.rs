//! One module per subcommand (or group): each has its clap `Args` structs and its `run`
//! functions. `chain` holds what the chain commands share.

pub mod chain;
pub mod challenge;
pub mod curation;
pub mod devnet;
pub mod hash;
pub mod index;
pub mod keeper;
pub mod model;
pub mod publish;
pub mod read;
pub mod shutdown;
