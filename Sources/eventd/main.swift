print("eventd: not yet implemented")
