def test_signed_in_officer_sees_their_organisation_on_home_page(personas):
    client = personas.client_for(personas.members["officer"])
    response = client.get("/")
    assert response.status_code == 200
    assert "Ashby Vale District Council" in response.content.decode()
