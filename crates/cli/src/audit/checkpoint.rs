//! Signed checkpoints: the head position and hash, signed with an Ed25519 key that is kept
//! outside the database, so that an auditor who kept one can later prove that the log still
//! holds exactly that prefix.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};

use crate::database::Database;

#[derive(Debug, clap::Args)]
pub struct KeygenArgs {
    /// Where to write the secret key (hex); the public key goes to FILE.pub.
    #[arg(long)]
    out: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct CheckpointArgs {
    /// The secret key file made by `civic audit keygen`.
    #[arg(long, env = "CIVIC_CHECKPOINT_KEY")]
    key: PathBuf,
}

/// What is signed and kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// Head position when taken.
    pub position: i64,
    /// Hash of that event (hex).
    pub hash: String,
    /// When it was taken (RFC 3339, +08:00).
    pub taken_at: String,
    /// The signer's public key (hex).
    pub public_key: String,
    /// Signature over [`Checkpoint::message`] (hex).
    pub signature: String,
}

impl Checkpoint {
    fn message(position: i64, hash: &str, taken_at: &str) -> Vec<u8> {
        format!("civic-ledger checkpoint\nposition {position}\nhash {hash}\ntaken {taken_at}\n")
            .into_bytes()
    }

    /// Checks the signature against the public key the checkpoint names.
    pub fn check_signature(&self) -> anyhow::Result<()> {
        let public: [u8; 32] = hex::decode(&self.public_key)?
            .try_into()
            .map_err(|_| anyhow::anyhow!("public key must be 32 bytes"))?;
        let key = VerifyingKey::from_bytes(&public)?;
        let signature: [u8; 64] = hex::decode(&self.signature)?
            .try_into()
            .map_err(|_| anyhow::anyhow!("signature must be 64 bytes"))?;
        key.verify(
            &Self::message(self.position, &self.hash, &self.taken_at),
            &Signature::from_bytes(&signature),
        )
        .context("the checkpoint's signature does not match its contents")
    }

    /// Reads a checkpoint file.
    pub fn read(path: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("failed to read {}", path.display()))?;
        serde_json::from_str(&text)
            .with_context(|| format!("{} is not a checkpoint", path.display()))
    }
}

pub fn keygen(args: KeygenArgs) -> anyhow::Result<ExitCode> {
    let key = SigningKey::from_bytes(&crate::secret::random::<32>()?);
    let public = args.out.with_extension("pub");
    let secret = secrecy::SecretString::from(hex::encode(key.to_bytes()));
    let written = crate::secret::write_private(
        &args.out,
        secrecy::ExposeSecret::expose_secret(&secret).as_bytes(),
    )?;
    anyhow::ensure!(
        written,
        "{} exists already; a key is never overwritten",
        args.out.display()
    );
    std::fs::write(&public, hex::encode(key.verifying_key().to_bytes()))?;
    println!("secret key: {}", args.out.display());
    println!(
        "public key: {} ({})",
        public.display(),
        hex::encode(key.verifying_key().to_bytes())
    );
    Ok(ExitCode::SUCCESS)
}

pub async fn run(args: CheckpointArgs, db: &Database) -> anyhow::Result<ExitCode> {
    db.migrate().await?;
    let text = std::fs::read_to_string(&args.key)
        .with_context(|| format!("failed to read {}", args.key.display()))?;
    let seed: [u8; 32] = hex::decode(text.trim())?
        .try_into()
        .map_err(|_| anyhow::anyhow!("the key file must hold 32 bytes in hex"))?;
    let key = SigningKey::from_bytes(&seed);
    let (position, hash) = civic_store::read_head(&db.pool).await?;
    let hash = hex::encode(hash);
    let taken_at = super::shanghai(time::OffsetDateTime::now_utc());
    let signature = key.sign(&Checkpoint::message(position, &hash, &taken_at));
    let checkpoint = Checkpoint {
        position,
        hash,
        taken_at,
        public_key: hex::encode(key.verifying_key().to_bytes()),
        signature: hex::encode(signature.to_bytes()),
    };
    println!("{}", serde_json::to_string_pretty(&checkpoint)?);
    Ok(ExitCode::SUCCESS)
}
