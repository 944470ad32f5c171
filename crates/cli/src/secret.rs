//! Secrets: the token secret (`CIVIC_JWT_SECRET`, or one generated once and kept in the data
//! dir) and private key files, held in `secrecy` types and written with mode 0600 from the
//! start.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use anyhow::Context;
use secrecy::{ExposeSecret, SecretSlice, SecretString};

/// Parses a secret given on the command line or in the environment.
pub fn parse(text: &str) -> Result<SecretString, std::convert::Infallible> {
    Ok(SecretString::from(text))
}

/// Random bytes from the operating system.
pub fn random<const N: usize>() -> anyhow::Result<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness available: {e}"))?;
    Ok(bytes)
}

/// The token secret: the explicit one, else the data dir's, created on first use.
pub fn load(explicit: Option<&SecretString>, data_dir: &Path) -> anyhow::Result<SecretSlice<u8>> {
    if let Some(secret) = explicit {
        return Ok(secret.expose_secret().as_bytes().to_vec().into());
    }
    let path = data_dir.join("jwt-secret");
    if let Ok(existing) = std::fs::read_to_string(&path) {
        return Ok(existing.trim().as_bytes().to_vec().into());
    }
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("failed to create {}", data_dir.display()))?;
    let generated = SecretString::from(hex::encode(random::<32>()?));
    if !write_private(&path, generated.expose_secret().as_bytes())? {
        // Another process created it first: use theirs.
        let existing = std::fs::read_to_string(&path)
            .with_context(|| format!("failed to read {}", path.display()))?;
        return Ok(existing.trim().as_bytes().to_vec().into());
    }
    Ok(generated.expose_secret().as_bytes().to_vec().into())
}

/// Writes `bytes` to `path` as a file that was never readable by others: a temporary file
/// created with mode 0600, synced, then linked into place. Returns false (and writes
/// nothing) when `path` already exists.
pub fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<bool> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let temporary = dir.join(format!(".{}.tmp", uuid::Uuid::new_v4().simple()));
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&temporary)
        .with_context(|| format!("failed to create {}", temporary.display()))?;
    let written = file.write_all(bytes).and_then(|()| file.sync_all());
    drop(file);
    let linked = written.and_then(|()| std::fs::hard_link(&temporary, path));
    let _ = std::fs::remove_file(&temporary);
    match linked {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(e).with_context(|| format!("failed to write {}", path.display())),
    }
}
