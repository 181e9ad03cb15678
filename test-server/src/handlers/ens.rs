//! A domain's ENS association: tasks that associate a wallet address and remove it, and the two places that
//! hold it: Alibaba Cloud's own record (what the latest task asked for, from its submission) and the ENS system
//! (what the latest task that succeeded set).

use serde_json::{json, Value};

use super::{task_on_domains, Answer, Request};
use crate::account::{Account, Effect};
use crate::fault::invalid_parameter;

/// `SaveSingleTaskForAssociatingEns`: a task (the domain must exist and be idle) that sets the ENS address when
/// it succeeds (an update lock makes it fail, as any change of the domain's records). The address must be an
/// Ethereum address, `0x` and 40 hexadecimal digits, as the reference's example is (the stricter reading: the
/// reference states no format).
pub(super) fn associate(account: &mut Account, request: &Request<'_>) -> Answer {
    let address = request.params.text("Address");
    let hex = address.strip_prefix("0x").unwrap_or_default();
    if hex.len() != 40 || !hex.bytes().all(|byte| byte.is_ascii_hexdigit()) {
        return Err(invalid_parameter(
            "Address",
            format!("{address:?} is not an ENS wallet address (0x and 40 hexadecimal digits)"),
        ));
    }
    let name = request.params.text("DomainName");
    let effect = Effect::AssociateEns {
        address: address.clone(),
    };
    let answer = task_on_domains(account, request, "ASSOCIATE_ENS", vec![name.clone()], |_| {
        effect.clone()
    })?;
    record(account, &name, Some(address));
    Ok(answer)
}

/// `SaveSingleTaskForDisassociatingEns`: a task (the domain must exist and be idle) that removes the ENS address
/// when it succeeds; it fails when the ENS system holds none for the domain.
pub(super) fn disassociate(account: &mut Account, request: &Request<'_>) -> Answer {
    let name = request.params.text("DomainName");
    let answer = task_on_domains(account, request, "DISASSOCIATE_ENS", vec![name.clone()], |_| {
        Effect::DisassociateEns
    })?;
    record(account, &name, None);
    Ok(answer)
}

/// Alibaba Cloud's record of the domain's ENS address becomes what a task just asked for.
fn record(account: &mut Account, name: &str, address: Option<String>) {
    if let Some(domain) = account
        .domains
        .iter_mut()
        .find(|domain| domain.name.eq_ignore_ascii_case(name))
    {
        domain.recorded_ens_address = address;
    }
}

/// `QueryEnsAssociation`: the address the ENS system holds for the domain (no `Address` when none).
pub(super) fn query(account: &mut Account, request: &Request<'_>) -> Answer {
    let domain = account.existing_domain(&request.params.text("DomainName"))?;
    Ok(address_answer(domain.ens_address.as_deref()))
}

/// `QueryLocalEnsAssociation`: the address Alibaba Cloud's records hold for the domain (no `Address` when none).
pub(super) fn query_local(account: &mut Account, request: &Request<'_>) -> Answer {
    let domain = account.existing_domain(&request.params.text("DomainName"))?;
    Ok(address_answer(domain.recorded_ens_address.as_deref()))
}

fn address_answer(address: Option<&str>) -> Value {
    match address {
        Some(address) => json!({ "Address": address }),
        None => json!({}),
    }
}
