//! Orders that make or end a domain's life in the account: registration, renewal, redemption and deletion,
//! each a task; and the registrant a new domain takes from its profile.

use std::collections::BTreeMap;

use super::{field, task_created, task_on_domains, valid_name, Answer, Request};
use crate::account::{Account, Domain, Effect, Millis, NewDetail, Profile, DAY};
use crate::fault::Fault;
use crate::fault::{invalid_parameter, missing_parameter};

/// One item of an order: its fields, and the prefix its parameters carry on the wire (`""` for a single-task
/// action, `OrderActivateParam.2.` for the second item of a batch), for the messages that name them.
pub(super) struct OrderItem {
    pub fields: BTreeMap<String, String>,
    pub prefix: String,
}

impl OrderItem {
    /// The wire name of one of the item's parameters.
    pub fn parameter(&self, name: &str) -> String {
        format!("{}{name}", self.prefix)
    }

    /// A field, empty when absent.
    pub fn text(&self, name: &str) -> String {
        field(&self.fields, name)
    }
}

/// The items of an order: the request itself for a single-task action, else each `<batch>.N` item.
pub(super) fn order_items(request: &Request<'_>, batch: &str) -> Vec<OrderItem> {
    if request.action.starts_with("SaveSingleTask") {
        return vec![OrderItem {
            fields: request.params.0.clone(),
            prefix: String::new(),
        }];
    }
    request
        .params
        .structs(batch)
        .into_iter()
        .enumerate()
        .map(|(index, fields)| OrderItem {
            fields,
            prefix: format!("{batch}.{}.", index + 1),
        })
        .collect()
}

/// The registrant profile an item names, which must be one of the account's and real-name verified: since
/// 2022-03-01 a domain can be registered only with such a profile, not with contact details given inline (the
/// reference, §5.28 and §5.41; §5.31 and §5.44 ask the same of a transfer in).
pub(super) fn verified_profile<'a>(account: &'a Account, item: &OrderItem) -> Result<&'a Profile, Fault> {
    let name = item.parameter("RegistrantProfileId");
    let Some(id) = item.fields.get("RegistrantProfileId").filter(|id| !id.is_empty()) else {
        return Err(missing_parameter(&name));
    };
    let id: i64 = id
        .parse()
        .map_err(|_| invalid_parameter(&name, format!("{id:?} is not a Long")))?;
    account.verified_profile(id)
}

/// The domain an item asks for, with its registrant from `profile` and its name servers and privacy setting.
pub(super) fn new_domain(name: &str, item: &OrderItem, profile: &Profile) -> Result<Domain, Fault> {
    let aliyun = item.fields.get("AliyunDns").is_none_or(|value| value == "true");
    let mut domain = Domain {
        name: name.to_owned(),
        aliyun_dns: aliyun,
        // The documented default is on.
        privacy_proxy: item.fields.get("EnableDomainProxy").is_none_or(|value| value == "true"),
        resource_group_id: item.text("ResourceGroupId"),
        registrant_profile_id: Some(profile.id),
        registrant_name: profile.registrant_name.clone(),
        registrant_organization: profile.registrant_organization.clone(),
        email: profile.email.clone(),
        registrant_type: profile.registrant_type.clone(),
        ..Domain::default()
    };
    if !aliyun {
        // With AliyunDns false, Dns1 and Dns2 are required.
        let mut servers = Vec::new();
        for key in ["Dns1", "Dns2"] {
            let server = item.text(key);
            if server.is_empty() {
                return Err(missing_parameter(&item.parameter(key)));
            }
            servers.push(server);
        }
        domain.dns = servers;
    }
    Ok(domain)
}

/// `SaveSingleTaskForCreatingOrderActivate`, `SaveBatchTaskForCreatingOrderActivate`: a task adding each
/// domain, refused whole when an item breaks a rule. A name held already (by the account or someone else) is
/// accepted and fails in the task, as the reference sends every order's outcome there.
pub(super) fn register(account: &mut Account, request: &Request<'_>) -> Answer {
    let mut details = Vec::new();
    for item in order_items(request, "OrderActivateParam") {
        let name = item.text("DomainName").to_ascii_lowercase();
        valid_name(&item.parameter("DomainName"), &name)?;
        let profile = verified_profile(account, &item)?;
        let domain = new_domain(&name, &item, profile)?;
        account.ensure_idle(&name)?;
        let years = item
            .fields
            .get("SubscriptionDuration")
            .and_then(|years| years.parse().ok())
            .unwrap_or(1);
        details.push(NewDetail {
            domain: name,
            instance_id: String::new(),
            effect: Effect::Add {
                domain: Box::new(domain),
                years,
                transfer_in: false,
            },
        });
    }
    let client_ip = request.params.text("UserClientIp");
    let task_no = account.create_task(request.action, "ORDER_ACTIVATE", &client_ip, details);
    Ok(task_created(task_no))
}

/// `SaveSingleTaskForCreatingOrderRenew`, `SaveBatchTaskForCreatingOrderRenew`.
pub(super) fn renew(account: &mut Account, request: &Request<'_>) -> Answer {
    let years = renewals(account, request, "OrderRenewParam")?;
    let names = years.keys().cloned().collect();
    task_on_domains(account, request, "ORDER_RENEW", names, |name| Effect::Renew {
        years: years.get(name).copied().unwrap_or(1),
    })
}

/// `SaveSingleTaskForCreatingOrderRedeem`, `SaveBatchTaskForCreatingOrderRedeem`.
pub(super) fn redeem(account: &mut Account, request: &Request<'_>) -> Answer {
    let names = renewals(account, request, "OrderRedeemParam")?.into_keys().collect();
    task_on_domains(account, request, "ORDER_REDEEM", names, |_| Effect::Redeem)
}

/// The domains a renewal or redemption names, with the years asked for each. The service guards against an
/// order sent twice: the caller names the expiration date it saw, and a stale one is refused.
fn renewals(account: &Account, request: &Request<'_>, batch: &str) -> Result<BTreeMap<String, i32>, Fault> {
    let mut years = BTreeMap::new();
    for item in order_items(request, batch) {
        let domain = account.existing_domain(&item.text("DomainName"))?;
        if let Some(given) = item
            .fields
            .get("CurrentExpirationDate")
            .and_then(|date| date.parse::<Millis>().ok())
        {
            if given.div_euclid(DAY) != domain.expiration_date.div_euclid(DAY) {
                return Err(invalid_parameter(
                    &item.parameter("CurrentExpirationDate"),
                    format!(
                        "{given} is not the expiration date of {} ({})",
                        domain.name, domain.expiration_date
                    ),
                ));
            }
        }
        let asked = item
            .fields
            .get("SubscriptionDuration")
            .and_then(|years| years.parse().ok())
            .unwrap_or(1);
        years.insert(domain.name.clone(), asked);
    }
    Ok(years)
}

/// `SaveTaskForSubmittingDomainDelete`.
pub(super) fn delete(account: &mut Account, request: &Request<'_>) -> Answer {
    let name = account
        .existing_instance(&request.params.text("InstanceId"))?
        .name
        .clone();
    task_on_domains(account, request, "DELETE_DOMAIN", vec![name], |_| Effect::Delete)
}
