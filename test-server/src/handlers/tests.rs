//! The handler table is the list of stateful actions: sorted (it is searched by halves), each action in the
//! spec, each answering an empty request without panicking, and with a documented code when it refuses.

use super::*;

#[test]
fn the_table_is_sorted_in_the_spec_and_answers_even_an_empty_request() {
    assert!(
        HANDLERS.windows(2).all(|pair| pair[0].action < pair[1].action),
        "sorted, no duplicates"
    );
    assert_eq!(STATEFUL_ACTIONS.len(), HANDLERS.len());
    let empty = BTreeMap::new();
    for (handler, name) in HANDLERS.iter().zip(STATEFUL_ACTIONS) {
        assert_eq!(handler.action, *name);
        assert!(crate::action_spec(name).is_some(), "{name} is not in the spec");
        let mut account = Account::default().seeded().unwrap();
        match answer(&mut account, name, &empty) {
            Some(Ok(_)) => {}
            Some(Err(fault)) => assert!(fault.documented_code().is_some(), "{name}: {fault}"),
            None => panic!("{name} is not answered"),
        }
    }
    let mut account = Account::default().seeded().unwrap();
    assert!(
        answer(&mut account, "QueryDomainSuffix", &empty).is_none(),
        "not stateful: its example"
    );
}
