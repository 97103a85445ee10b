"""The name on a register must be the assessor's verified legal name, give or take spelling."""

import pytest

from registry.registers.names import name_matches


@pytest.mark.parametrize(
    ("register_name", "surname", "given_names"),
    [
        ("Amelia Hart", "Hart", "Amelia"),
        ("Dr Amelia Hart", "hart", "amelia"),
        ("DR. AMELIA HART", "Hart", None),
        ("Siobhán O'Neill-Byrne", "O’Neill Byrne", "Siobhan"),
        ("Siobhan ONeill Byrne", "O'Neill-Byrne", "Siobhán"),
        ("Maria de la Cruz", "De La Cruz", "Maria"),
        ("Prof Jane A Smith", "Smith", "J"),
        ("SMITH, Jane", "Smith", "Jane"),
        ("Zoë Brontë", "Bronte", "Zoe"),
        ("Anna Smith Smith", "Smith", "Anna"),
    ],
)
def test_names_that_match(register_name, surname, given_names):
    assert name_matches(register_name, surname, given_names)


@pytest.mark.parametrize(
    ("register_name", "surname", "given_names"),
    [
        ("Helen Marsh", "Brook", "Helen"),
        ("Amelia Hart", "Hart", "Beatrice"),
        ("Amelia Harte", "Hart", "Amelia"),
        ("Hart", "Hart", "Amelia"),
        ("Amelia Hart", "", "Amelia"),
        ("Amelia Hart", "Dr", None),
        ("", "Hart", None),
        ("SMITH, Jane", "Jones", "Jane"),
    ],
)
def test_names_that_do_not_match(register_name, surname, given_names):
    assert not name_matches(register_name, surname, given_names)


def test_without_a_surname_there_is_no_name_check():
    assert name_matches("Anyone At All", None, "Someone")
