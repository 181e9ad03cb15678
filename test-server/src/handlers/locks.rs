//! A domain's locks and privacy: the update and transfer prohibition locks and the privacy proxy (each a
//! task), and the registry lock the account is seeded with (`ListServerLock`, `QueryServerLock`).

use serde_json::{json, Value};

use super::{task_on_domains, Answer, Request};
use crate::account::{format_date, Account, Domain, Effect};
use crate::fault::invalid_parameter;

/// `SaveSingleTaskForUpdateProhibitionLock`, `SaveBatchTaskForUpdateProhibitionLock`.
pub(super) fn update_lock(account: &mut Account, request: &Request<'_>) -> Answer {
    let on = request.params.bool("Status").unwrap_or(false);
    let names = request.params.domain_names();
    task_on_domains(account, request, "SET_UPDATE_PROHIBITED", names, |_| {
        Effect::UpdateLock { on }
    })
}

/// `SaveSingleTaskForTransferProhibitionLock`, `SaveBatchTaskForTransferProhibitionLock`.
pub(super) fn transfer_lock(account: &mut Account, request: &Request<'_>) -> Answer {
    let on = request.params.bool("Status").unwrap_or(false);
    let names = request.params.domain_names();
    task_on_domains(account, request, "SET_TRANSFER_PROHIBITED", names, |_| {
        Effect::TransferLock { on }
    })
}

/// `SaveSingleTaskForDomainNameProxyService`, `SaveBatchTaskForDomainNameProxyService`.
pub(super) fn privacy(account: &mut Account, request: &Request<'_>) -> Answer {
    let on = request.params.bool("Status").unwrap_or(false);
    let names = request.params.domain_names();
    task_on_domains(account, request, "SET_WHOIS_PROTECT", names, |_| Effect::Privacy { on })
}

fn lock_id(domain: &Domain) -> String {
    format!("SL{}", domain.instance_id)
}

fn server_lock(domain: &Domain) -> Value {
    json!({
        "DomainName": domain.name,
        "DomainInstanceId": domain.instance_id,
        "LockInstanceId": lock_id(domain),
        "ServerLockStatus": 1,
        "LockProductId": "domain_server_lock",
        "StartDate": format_date(domain.registration_date),
        "ExpireDate": format_date(domain.expiration_date),
        "GmtCreate": format_date(domain.registration_date),
        "GmtModified": format_date(domain.registration_date),
        "UserId": "1234567890",
    })
}

/// `ListServerLock`: the domains under a registry lock, by name, a page of them.
pub(super) fn list_server_locks(account: &mut Account, request: &Request<'_>) -> Answer {
    let name = request.params.text("DomainName");
    let locks: Vec<Value> = account
        .domains
        .iter()
        .filter(|domain| domain.registry_lock && (name.is_empty() || domain.name.contains(&name)))
        .map(server_lock)
        .collect();
    Ok(request.params.page().bare(locks))
}

/// `QueryServerLock`: a lock instance id the account does not have is an invalid value.
pub(super) fn query_server_lock(account: &mut Account, request: &Request<'_>) -> Answer {
    let id = request.params.text("InstanceId");
    account
        .domains
        .iter()
        .find(|domain| domain.registry_lock && lock_id(domain) == id)
        .map(server_lock)
        .ok_or_else(|| invalid_parameter("InstanceId", format!("{id} is not a registry lock of this account")))
}
