// The TopicPolicy module.
