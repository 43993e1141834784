def test_home_page_lists_loaded_tools(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b"Sample outside tool" in response.data
