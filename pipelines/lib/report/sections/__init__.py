"""The månadsrapport's sections, each read from its mart in the published warehouse.

Every public mart exists after any refresh with the columns of its enforced contract, so each
section queries its mart as declared. A mart without rows is one whose input was never delivered
(no goal register, no risk register, no forecast yet): its section says so instead of a table.
"""
