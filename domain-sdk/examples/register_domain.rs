//! Registers a domain the way the service requires since 2022-03-01: with a real-name-verified registrant
//! profile. Checks that the name is valid and available, finds a verified profile of the account (or creates one
//! and has it verified), registers the name with it, and waits for the registration task.
//!
//! `ALIBABA_CLOUD_DOMAIN_ENDPOINT` (read by the client builder) points it at another endpoint, e.g. the test
//! server's (`cargo run -p domain-sdk-test-server -- --mode stateful`); credentials come from the default chain.
//! Run: `ALIBABA_CLOUD_DOMAIN_ENDPOINT=http://127.0.0.1:PORT ALIBABA_CLOUD_ACCESS_KEY_ID=testid \
//!       ALIBABA_CLOUD_ACCESS_KEY_SECRET=testsecret cargo run -p domain-sdk --example register_domain -- example.com`
//!
//! Arguments: `NAME [PROFILE_ID] [--image FILE]`. Without a profile id it uses a verified profile of the
//! account, or creates one and submits its verification with the identity credential image `FILE` (a JPG or
//! BMP of 55 KB to 1 MB); without `--image` it sends a placeholder that only the test server accepts.

use std::time::Duration;

use base64::Engine as _;
use domain_sdk::operation::check_domain::Avail;
use domain_sdk::operation::save_batch_task_for_creating_order_activate::OrderActivateParam;
use domain_sdk::{Client, TaskOutcome, WaiterConfig};

type Failure = Box<dyn std::error::Error>;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Failure> {
    let mut name = "example.com".to_owned();
    let mut profile_id: Option<i64> = None;
    let mut image: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--image" => image = Some(args.next().ok_or("--image needs a file")?),
            id if id.parse::<i64>().is_ok() => profile_id = id.parse().ok(),
            other => name = other.to_owned(),
        }
    }

    // Client-side check of §6.2's rules before any call.
    domain_sdk::validate_domain_name(&name)?;

    let client = domain_sdk::Client::builder().default_lang("en").build()?;

    let check = client.check_domain().domain_name(&name).send().await?;
    if check.avail != Some(Avail::Available) {
        println!("{name} is not available: {:?} {:?}", check.avail, check.reason);
        return Ok(());
    }
    println!("{name} is available (price {:?})", check.price);

    let profile_id = match profile_id {
        Some(id) => id,
        None => verified_profile(&client, image.as_deref()).await?,
    };

    let task = client
        .save_batch_task_for_creating_order_activate()
        .order_activate_param(
            OrderActivateParam::new()
                .domain_name(&name)
                .registrant_profile_id(profile_id)
                .subscription_duration(1),
        )
        .send()
        .await?;
    let task_no = task.task_no.ok_or("the service returned no task number")?;
    println!("registration task {task_no} submitted with registrant profile {profile_id}");

    let config = WaiterConfig {
        deadline: Duration::from_secs(120),
        ..WaiterConfig::default()
    };
    let report = client.wait_for_task_with(&task_no, config).await?;
    for outcome in &report.outcomes {
        match outcome {
            TaskOutcome::Succeeded { domain_name, .. } => println!("{domain_name}: registered"),
            TaskOutcome::Failed {
                domain_name, reason, ..
            } => println!("{domain_name}: failed: {reason:?}"),
            TaskOutcome::Pending {
                domain_name, status, ..
            } => println!("{domain_name}: still {status:?}"),
            _ => println!("{}: unknown outcome", outcome.domain_name()),
        }
    }
    Ok(())
}

/// A real-name-verified registrant profile of the account: one it has, or a new one submitted for verification
/// and polled until the audit ends (the service takes days; the test server, a few reads).
async fn verified_profile(client: &Client, image_file: Option<&str>) -> Result<i64, Failure> {
    let verified = client
        .query_registrant_profiles()
        .real_name_status("SUCCEED")
        .send()
        .await?;
    if let Some(id) = verified
        .registrant_profiles
        .into_iter()
        .flatten()
        .find_map(|profile| profile.registrant_profile_id)
    {
        println!("using the verified registrant profile {id}");
        return Ok(id);
    }
    let image = match image_file {
        Some(path) => std::fs::read(path).map_err(|error| format!("--image {path}: {error}"))?,
        None => {
            println!("no --image: sending a placeholder credential, which only the test server accepts");
            placeholder_image()
        }
    };
    let id = client
        .save_registrant_profile()
        .registrant_type("1")
        .registrant_name("li lei")
        .registrant_organization("li lei")
        .email("li@example.com")
        .country("CN")
        .send()
        .await?
        .registrant_profile_id
        .ok_or("the service returned no profile id")?;
    client
        .registrant_profile_real_name_verification()
        .registrant_profile_id(id)
        .identity_credential_type("SFZ")
        .identity_credential_no("110101199001011234")
        .identity_credential(base64::engine::general_purpose::STANDARD.encode(image))
        .send()
        .await?;
    println!("registrant profile {id} submitted for real-name verification");
    let mut wait = Duration::from_millis(10);
    for _ in 0..12 {
        let listed = client
            .query_registrant_profiles()
            .registrant_profile_id(id)
            .send()
            .await?;
        let status = listed
            .registrant_profiles
            .into_iter()
            .flatten()
            .find_map(|profile| profile.real_name_status)
            .map(|status| status.as_str().to_owned())
            .unwrap_or_default();
        match status.as_str() {
            "SUCCEED" => return Ok(id),
            "FAILED" => return Err(format!("the verification of profile {id} failed").into()),
            _ => tokio::time::sleep(wait).await,
        }
        wait = (wait * 2).min(Duration::from_secs(60));
    }
    Err(format!("profile {id} is still under review: run again with its id once it is verified").into())
}

/// 56 KB shaped as a JPG (its first and last bytes), which the test server's checks accept; no picture.
fn placeholder_image() -> Vec<u8> {
    let mut image = vec![0u8; 56 * 1024];
    image[..4].copy_from_slice(&[0xFF, 0xD8, 0xFF, 0xE0]);
    let end = image.len() - 2;
    image[end..].copy_from_slice(&[0xFF, 0xD9]);
    image
}
