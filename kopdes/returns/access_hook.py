"""Registers the BA assignments with `kopdes.accounts.scope` (imported by ReturnsConfig.ready), so the registry page and
the visits, in lower layers, answer for a BA's assigned cooperatives (docs/architecture.md, "Access by assignment")."""

from kopdes.accounts.scope import register_assigned_cooperatives
from kopdes.returns.policy import assigned_ids

register_assigned_cooperatives(assigned_ids)
