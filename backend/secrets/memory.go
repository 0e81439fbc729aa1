package secrets

import (
	"sync"

	"github.com/zalando/go-keyring"
)

// Memory is an in-process Backend for tests of packages that keep secrets.
// It reports keyring.ErrNotFound exactly like the OS keyring does, and can
// be told to fail every call to play a locked or missing keyring.
type Memory struct {
	mu    sync.Mutex
	items map[string]string
	Fail  error // when set, every call returns it
	// FailWrites, when set, is returned by Set and Delete only.
	FailWrites error
}

// NewMemory returns an empty Memory backend.
func NewMemory() *Memory { return &Memory{items: map[string]string{}} }

func (m *Memory) Set(service, user, password string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Fail != nil {
		return m.Fail
	}
	if m.FailWrites != nil {
		return m.FailWrites
	}
	m.items[service+"\x00"+user] = password
	return nil
}

func (m *Memory) Get(service, user string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Fail != nil {
		return "", m.Fail
	}
	v, ok := m.items[service+"\x00"+user]
	if !ok {
		return "", keyring.ErrNotFound
	}
	return v, nil
}

func (m *Memory) Delete(service, user string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Fail != nil {
		return m.Fail
	}
	if m.FailWrites != nil {
		return m.FailWrites
	}
	k := service + "\x00" + user
	if _, ok := m.items[k]; !ok {
		return keyring.ErrNotFound
	}
	delete(m.items, k)
	return nil
}

// Len reports how many items are stored.
func (m *Memory) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.items)
}
