//! Reading the read models (used by the gateway and the CLI).
