//! Domains as the account lists and shows them (`CheckDomain`, the three lists, the two lookups), and the
//! changes that need no task: remark, auto-renewal, resource group.

use serde_json::{json, Value};

use super::render::lock_state;
use super::{valid_name, Answer, Request};
use crate::account::{format_date, Account, Domain, Millis, DAY};

/// `CheckDomain`: taken when the account or someone else holds the name; premium for labels of two characters.
pub(super) fn check(account: &mut Account, request: &Request<'_>) -> Answer {
    let name = request.params.text("DomainName").to_ascii_lowercase();
    valid_name("DomainName", &name)?;
    let label = name.split('.').next().unwrap_or_default();
    let taken = account.domain(&name).is_some() || account.taken.iter().any(|held| held.eq_ignore_ascii_case(&name));
    let premium = label.chars().count() <= 2;
    Ok(json!({
        "DomainName": name,
        "Avail": if taken { "0" } else { "1" },
        "Premium": if premium { "true" } else { "false" },
        "Reason": if taken { "Domain exists" } else { "" },
        "Price": if premium { 12_000 } else { 69 },
        "DynamicCheck": false,
    }))
}

/// `QueryDomainByDomainName`.
pub(super) fn by_name(account: &mut Account, request: &Request<'_>) -> Answer {
    let domain = account.existing_domain(&request.params.text("DomainName"))?;
    Ok(detail(account, domain))
}

/// `QueryDomainByInstanceId`.
pub(super) fn by_instance_id(account: &mut Account, request: &Request<'_>) -> Answer {
    let domain = account.existing_instance(&request.params.text("InstanceId"))?;
    Ok(detail(account, domain))
}

/// `SaveBatchDomainRemark`: the remark of every instance listed (each must exist).
pub(super) fn remark(account: &mut Account, request: &Request<'_>) -> Answer {
    let remark = request.params.text("Remark");
    let ids: Vec<String> = request
        .params
        .text("InstanceIds")
        .split(',')
        .map(|id| id.trim().to_owned())
        .collect();
    for id in &ids {
        account.existing_instance(id)?;
    }
    for domain in account
        .domains
        .iter_mut()
        .filter(|domain| ids.contains(&domain.instance_id))
    {
        domain.remark.clone_from(&remark);
    }
    Ok(json!({}))
}

/// `SetupDomainAutoRenew`: `RENEW` turns auto-renewal on, `CANCEL` off.
pub(super) fn setup_auto_renew(account: &mut Account, request: &Request<'_>) -> Answer {
    let id = request.params.text("InstanceId");
    account.existing_instance(&id)?;
    let on = !request.params.text("Operation").eq_ignore_ascii_case("CANCEL");
    for domain in account.domains.iter_mut().filter(|domain| domain.instance_id == id) {
        domain.auto_renew = on;
    }
    Ok(json!({"Result": true}))
}

/// `ChangeResourceGroup`: the domain named by instance id (or name) moves to another resource group.
pub(super) fn change_resource_group(account: &mut Account, request: &Request<'_>) -> Answer {
    let id = request.params.text("ResourceId");
    let matches = |domain: &Domain| domain.instance_id == id || domain.name.eq_ignore_ascii_case(&id);
    if !account.domains.iter().any(matches) {
        account.existing_instance(&id)?;
    }
    let group = request.params.text("NewResourceGroupId");
    for domain in account.domains.iter_mut().filter(|domain| matches(domain)) {
        domain.resource_group_id.clone_from(&group);
    }
    Ok(json!({"Result": "true"}))
}

/// `QueryDomainList`: filtered, sorted (by default newest first), a page of them.
pub(super) fn list(account: &mut Account, request: &Request<'_>) -> Answer {
    let params = &request.params;
    let now = account.now;
    let name = params.text("DomainName").to_ascii_lowercase();
    let group = params.text("DomainGroupId");
    let kind = params.text("ProductDomainType");
    let query_type = params.text("QueryType");
    let company = params.text("Ccompany");
    let resource_group = params.text("ResourceGroupId");
    let name_server = params.text("Dns");
    let auto_renew = params.bool("AutoRenewEnabled");
    let mut domains: Vec<&Domain> = account
        .domains
        .iter()
        .filter(|domain| name.is_empty() || domain.name.contains(&name))
        .filter(|domain| group.is_empty() || domain.group_id.as_deref() == Some(group.as_str()))
        .filter(|domain| kind.is_empty() || domain.domain_type() == kind)
        .filter(|domain| match query_type.as_str() {
            "1" => domain.status(now) == "1",
            "2" => domain.status(now) == "2",
            _ => true,
        })
        .filter(|domain| company.is_empty() || domain.registrant_organization.contains(&company))
        .filter(|domain| resource_group.is_empty() || domain.resource_group_id == resource_group)
        .filter(|domain| auto_renew.is_none_or(|on| domain.auto_renew == on))
        .filter(|domain| {
            name_server.is_empty()
                || domain
                    .dns
                    .iter()
                    .any(|server| server.eq_ignore_ascii_case(&name_server))
        })
        .filter(|domain| params.in_range(domain.expiration_date, "StartExpirationDate", "EndExpirationDate"))
        .filter(|domain| params.in_range(domain.registration_date, "StartRegistrationDate", "EndRegistrationDate"))
        .collect();
    // Without a sort key the service lists by the time a domain joined the account, newest first.
    match params.text("OrderKeyType").as_str() {
        "RegistrationDate" => domains.sort_by_key(|domain| domain.registration_date),
        "ExpirationDate" => domains.sort_by_key(|domain| domain.expiration_date),
        _ => {}
    }
    if params.text("OrderByType") != "ASC" {
        domains.reverse();
    }
    let items = domains
        .into_iter()
        .map(|domain| {
            let mut item = list_item(account, domain, false);
            if let Some(fields) = item.as_object_mut() {
                fields.insert("AutoRenewEnabled".into(), json!(domain.auto_renew));
                fields.insert("DnsList".into(), json!({"DnsList": domain.dns}));
            }
            item
        })
        .collect();
    Ok(params.page().wrapped(items, "Domain"))
}

/// `QueryAdvancedDomainList`: a page of the filtered domains.
pub(super) fn advanced_list(account: &mut Account, request: &Request<'_>) -> Answer {
    let items = advanced_items(account, request);
    Ok(request.params.page().wrapped(items, "Domain"))
}

/// `ScrollDomainList`: the filtered domains by scroll id (the offset of the next item; the last page has none).
pub(super) fn scroll(account: &mut Account, request: &Request<'_>) -> Answer {
    let items = advanced_items(account, request);
    let size = request.params.page_size(100);
    let offset: usize = request
        .params
        .str("ScrollId")
        .and_then(|id| id.strip_prefix("scroll-")?.parse().ok())
        .unwrap_or(0);
    let total = items.len();
    let page: Vec<Value> = items.into_iter().skip(offset).take(size).collect();
    let next = offset + page.len();
    Ok(json!({
        "Data": {"Domain": page},
        "PageSize": size,
        "TotalItemNum": total,
        "ScrollId": if next < total { format!("scroll-{next}") } else { String::new() },
    }))
}

/// The domains the filters of `QueryAdvancedDomainList` and `ScrollDomainList` keep, sorted as asked.
fn advanced_items(account: &Account, request: &Request<'_>) -> Vec<Value> {
    let params = &request.params;
    let now = account.now;
    let keyword = params.text("KeyWord").to_ascii_lowercase();
    let (prefix, suffix) = (
        params.bool("KeyWordPrefix") == Some(true),
        params.bool("KeyWordSuffix") == Some(true),
    );
    let excluded = params.text("Excluded").to_ascii_lowercase();
    let suffixes: Vec<String> = params
        .text("Suffixs")
        .split(',')
        .map(|suffix| suffix.trim().trim_start_matches('.').to_ascii_lowercase())
        .filter(|suffix| !suffix.is_empty())
        .collect();
    let status = params.text("DomainStatus");
    let group = params.text("DomainGroupId");
    let kind = params.text("ProductDomainType");
    let (min_length, max_length) = (params.int("StartLength"), params.int("EndLength"));
    let mut domains: Vec<&Domain> = account
        .domains
        .iter()
        .filter(|domain| {
            let label = domain.name.split('.').next().unwrap_or_default();
            let matches_keyword = keyword.is_empty()
                || match (prefix, suffix) {
                    (true, _) => label.starts_with(&keyword),
                    (_, true) => label.ends_with(&keyword),
                    _ => domain.name.contains(&keyword),
                };
            let length = i64::try_from(label.chars().count()).unwrap_or(i64::MAX);
            matches_keyword
                && (excluded.is_empty() || !domain.name.contains(&excluded))
                && (suffixes.is_empty()
                    || suffixes
                        .iter()
                        .any(|suffix| domain.name.ends_with(&format!(".{suffix}"))))
                && (status.is_empty() || status == "0" || domain.status(now) == status)
                && (group.is_empty() || domain.group_id.as_deref() == Some(group.as_str()))
                && (kind.is_empty() || domain.domain_type() == kind)
                && min_length.is_none_or(|min| length >= min)
                && max_length.is_none_or(|max| length <= max)
                && params.in_range(domain.expiration_date, "StartExpirationDate", "EndExpirationDate")
                && params.in_range(domain.registration_date, "StartRegistrationDate", "EndRegistrationDate")
        })
        .collect();
    for flag in ["DomainNameSort", "RegistrationDateSort", "ExpirationDateSort"] {
        let Some(ascending) = params.bool(flag) else {
            continue;
        };
        match flag {
            "DomainNameSort" => domains.sort_by(|left, right| left.name.cmp(&right.name)),
            "RegistrationDateSort" => domains.sort_by_key(|domain| domain.registration_date),
            _ => domains.sort_by_key(|domain| domain.expiration_date),
        }
        if !ascending {
            domains.reverse();
        }
    }
    domains
        .into_iter()
        .map(|domain| list_item(account, domain, true))
        .collect()
}

fn days_left(domain: &Domain, now: Millis) -> i64 {
    domain.expiration_date.saturating_sub(now).div_euclid(DAY)
}

fn group_name(account: &Account, domain: &Domain) -> String {
    domain
        .group_id
        .as_ref()
        .and_then(|id| account.groups.iter().find(|group| &group.id == id))
        .map(|group| group.name.clone())
        .unwrap_or_default()
}

/// A domain as the lists show it; `advanced` adds the fields of `QueryAdvancedDomainList` and `ScrollDomainList`.
fn list_item(account: &Account, domain: &Domain, advanced: bool) -> Value {
    let now = account.now;
    let mut item = json!({
        "DomainName": domain.name,
        "InstanceId": domain.instance_id,
        "DomainAuditStatus": domain.real_name_status,
        "DomainGroupId": domain.group_id.clone().unwrap_or_default(),
        "DomainGroupName": group_name(account, domain),
        "DomainStatus": if advanced && domain.transfer_out_code.is_some() { "4" } else { domain.status(now) },
        "DomainType": domain.domain_type(),
        "ExpirationCurrDateDiff": days_left(domain, now),
        "ExpirationDate": format_date(domain.expiration_date),
        "ExpirationDateLong": domain.expiration_date,
        "ExpirationDateStatus": if now < domain.expiration_date { "1" } else { "2" },
        "Premium": domain.premium,
        "ProductId": "2",
        "RegistrantType": domain.registrant_type,
        "RegistrationDate": format_date(domain.registration_date),
        "RegistrationDateLong": domain.registration_date,
        "Remark": domain.remark,
        "Ccompany": domain.registrant_organization,
        "Tag": {"Tag": []},
        "ResourceGroupId": domain.resource_group_id,
    });
    if let (true, Some(fields)) = (advanced, item.as_object_mut()) {
        fields.insert("DnsList".into(), json!({"Dns": domain.dns}));
        fields.insert("Email".into(), json!(domain.email));
        fields.insert("RegistrantOrganization".into(), json!(domain.registrant_organization));
        fields.insert("ZhRegistrantOrganization".into(), json!(domain.registrant_organization));
    }
    item
}

/// A domain as `QueryDomainByDomainName` and `QueryDomainByInstanceId` show it.
fn detail(account: &Account, domain: &Domain) -> Value {
    let verified = account
        .email_verifications
        .iter()
        .any(|verification| verification.verified && verification.email.eq_ignore_ascii_case(&domain.email));
    json!({
        "DomainName": domain.name,
        "InstanceId": domain.instance_id,
        "DnsList": {"Dns": domain.dns},
        "DomainNameProxyService": domain.privacy_proxy,
        "DomainNameVerificationStatus": "SUCCEED",
        "Email": domain.email,
        "EmailVerificationClientHold": false,
        "EmailVerificationStatus": i32::from(verified),
        "ExpirationDate": format_date(domain.expiration_date),
        "ExpirationDateLong": domain.expiration_date,
        "Premium": domain.premium,
        "RealNameStatus": domain.real_name_status,
        "RegistrantName": domain.registrant_name,
        "RegistrantOrganization": domain.registrant_organization,
        "RegistrantType": domain.registrant_type,
        "RegistrantUpdatingStatus": "NORMAL",
        "RegistrationDate": format_date(domain.registration_date),
        "RegistrationDateLong": domain.registration_date,
        "TransferOutStatus": if domain.transfer_out_code.is_some() { "PENDING" } else { "NORMAL" },
        "TransferProhibitionLock": lock_state(domain.transfer_prohibition_lock),
        "UpdateProhibitionLock": lock_state(domain.update_prohibition_lock),
        "UserId": "1234567890",
        "ZhRegistrantName": domain.registrant_name,
        "ZhRegistrantOrganization": domain.registrant_organization,
        "ResourceGroupId": domain.resource_group_id,
        "DomainStatus": domain.status(account.now),
        "DomainType": domain.domain_type(),
        "ExpirationCurrDateDiff": days_left(domain, account.now),
        "ExpirationDateStatus": if account.now < domain.expiration_date { "1" } else { "2" },
        "DomainGroupName": group_name(account, domain),
        "DomainGroupId": domain.group_id.as_deref().and_then(|id| id.parse::<i64>().ok()),
        "Remark": domain.remark,
    })
}
