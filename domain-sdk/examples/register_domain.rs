//! Checks that a name is valid and available, registers it with a verified registrant profile, and waits for the
//! registration task.
//!
//! `ALIBABA_CLOUD_DOMAIN_ENDPOINT` (read by the client builder) points it at another endpoint, e.g. the test
//! server's; credentials come from the default chain.
//! Run: `ALIBABA_CLOUD_DOMAIN_ENDPOINT=http://127.0.0.1:PORT ALIBABA_CLOUD_ACCESS_KEY_ID=testid \
//!       ALIBABA_CLOUD_ACCESS_KEY_SECRET=testsecret cargo run -p domain-sdk --example register_domain -- example.com 1234567`

use std::time::Duration;

use domain_sdk::operation::check_domain::Avail;
use domain_sdk::operation::save_batch_task_for_creating_order_activate::OrderActivateParam;
use domain_sdk::{TaskOutcome, WaiterConfig};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let name = args.next().unwrap_or_else(|| "example.com".to_owned());
    let profile_id: i64 = args.next().and_then(|p| p.parse().ok()).unwrap_or(1_234_567);

    // Client-side check of §6.2's rules before any call.
    domain_sdk::validate_domain_name(&name)?;

    let client = domain_sdk::Client::builder().default_lang("en").build()?;

    let check = client.check_domain().domain_name(&name).send().await?;
    if check.avail != Some(Avail::Available) {
        println!("{name} is not available: {:?} {:?}", check.avail, check.reason);
        return Ok(());
    }
    println!("{name} is available (price {:?})", check.price);

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
    println!("registration task {task_no} submitted");

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
