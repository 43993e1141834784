"""Roles matrix: consensus and disagreement per cell."""

from plugins.canvas.roles import MarkFact, build_matrix


def cell_of(matrix, actor_type):
    return next(c for c in matrix.rows[0].cells if c.actor_type == actor_type)


def test_two_thirds_choosing_one_role_is_consensus_and_less_is_disputed():
    marks = [
        MarkFact(1, "sme", 1, "benefit"), MarkFact(1, "sme", 2, "benefit"), MarkFact(1, "sme", 3, "contribute"),
        MarkFact(1, "university", 1, "lead"), MarkFact(1, "university", 2, "contribute"),
        MarkFact(1, "university", 3, "benefit"),
        MarkFact(1, "investor", 1, "lead"),
    ]
    matrix = build_matrix([(1, "Matchmaking days")], ["sme", "university", "investor", "public_authority"], marks, 2)
    assert cell_of(matrix, "sme").state == "consensus"
    assert cell_of(matrix, "sme").leading_role == "benefit"
    assert cell_of(matrix, "university").state == "disputed"
    assert cell_of(matrix, "investor").state == "single"
    assert cell_of(matrix, "public_authority").state == "empty"
    assert cell_of(matrix, "sme").mine == "benefit"
    assert [c.actor_type for c in matrix.disputed()] == ["university"]


def test_a_tie_is_never_consensus():
    marks = [MarkFact(1, "sme", 1, "lead"), MarkFact(1, "sme", 2, "benefit")]
    matrix = build_matrix([(1, "Training")], ["sme"], marks)
    assert cell_of(matrix, "sme").leading_role is None
    assert cell_of(matrix, "sme").state == "disputed"
