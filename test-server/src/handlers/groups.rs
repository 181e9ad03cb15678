//! Domain groups: saved (a name once per account), deleted (their domains leave them), listed, and domains
//! put in one.

use serde_json::{json, Value};

use super::{Answer, Request};
use crate::account::{format_date, Account, Group};
use crate::codes::Code;
use crate::fault::invalid_parameter;
use crate::fault::Fault;

fn group_json(account: &Account, group: &Group) -> Value {
    let members = account
        .domains
        .iter()
        .filter(|domain| domain.group_id.as_ref() == Some(&group.id))
        .count();
    json!({
        "DomainGroupId": group.id,
        "DomainGroupName": group.name,
        "DomainGroupStatus": "COMPLETE",
        "BeingDeleted": false,
        "CreationDate": format_date(group.created),
        "ModificationDate": format_date(group.created),
        "TotalNumber": members,
    })
}

/// A group id the account does not have is an invalid value of `DomainGroupId`.
fn existing_group(account: &Account, id: &str) -> Result<(), Fault> {
    if account.groups.iter().any(|group| group.id == id) {
        Ok(())
    } else {
        Err(invalid_parameter(
            "DomainGroupId",
            format!("{id} is not a group of this account"),
        ))
    }
}

/// `SaveDomainGroup`: a new group, or the named one renamed; a name another group has is
/// `DomainGroupNameDuplicated`.
pub(super) fn save(account: &mut Account, request: &Request<'_>) -> Answer {
    let name = request.params.text("DomainGroupName");
    let id = request.params.str("DomainGroupId").map(str::to_owned);
    if account
        .groups
        .iter()
        .any(|group| group.name == name && Some(&group.id) != id.as_ref())
    {
        return Err(Code::DomainGroupNameDuplicated.fault());
    }
    let now = account.now;
    let id = match id {
        Some(id) => {
            existing_group(account, &id)?;
            for group in account.groups.iter_mut().filter(|group| group.id == id) {
                group.name.clone_from(&name);
            }
            id
        }
        None => {
            let id = (account.profile_id() - 3_000_000).to_string();
            account.groups.push(Group {
                id: id.clone(),
                name,
                created: now,
            });
            id
        }
    };
    let saved = account
        .groups
        .iter()
        .find(|group| group.id == id)
        .map(|group| group_json(account, group))
        .unwrap_or_default();
    let mut answer = saved;
    answer["DomainGroupId"] = json!(id.parse::<i64>().unwrap_or_default());
    Ok(answer)
}

/// `DeleteDomainGroup`: an unknown id is answered as the reference's example answers it (`ParameterIllegall`).
pub(super) fn delete(account: &mut Account, request: &Request<'_>) -> Answer {
    let id = request.params.text("DomainGroupId");
    if !account.groups.iter().any(|group| group.id == id) {
        return Err(Code::ParameterIllegall.fault());
    }
    account.groups.retain(|group| group.id != id);
    for domain in account
        .domains
        .iter_mut()
        .filter(|domain| domain.group_id.as_deref() == Some(id.as_str()))
    {
        domain.group_id = None;
    }
    Ok(json!({}))
}

/// `QueryDomainGroupList`.
pub(super) fn list(account: &mut Account, request: &Request<'_>) -> Answer {
    let name = request.params.text("DomainGroupName");
    let groups: Vec<Value> = account
        .groups
        .iter()
        .filter(|group| name.is_empty() || group.name.contains(&name))
        .map(|group| group_json(account, group))
        .collect();
    Ok(json!({"Data": {"DomainGroup": groups}}))
}

/// `UpdateDomainToDomainGroup`: the domains named join the group (with `Replace`, the others leave it).
pub(super) fn add_domains(account: &mut Account, request: &Request<'_>) -> Answer {
    let id = request.params.text("DomainGroupId");
    existing_group(account, &id)?;
    let names = request.params.list("DomainName");
    for name in &names {
        account.existing_domain(name)?;
    }
    let replace = request.params.bool("Replace").unwrap_or(false);
    for domain in &mut account.domains {
        let listed = names.iter().any(|name| name.eq_ignore_ascii_case(&domain.name));
        if listed {
            domain.group_id = Some(id.clone());
        } else if replace && domain.group_id.as_deref() == Some(id.as_str()) {
            domain.group_id = None;
        }
    }
    Ok(json!({}))
}
