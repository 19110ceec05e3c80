// NtCreateEvent, NtOpenEvent, NtSetEvent, NtResetEvent, NtClearEvent,
// NtPulseEvent, NtQueryEvent.
#include <ntsem/winternl.h>

#include "handle/reference.hpp"
#include "nt/named.hpp"
#include "nt/native.hpp"
#include "nt/query.hpp"
#include "object/event.hpp"

using namespace ntsem;

NTSTATUS nt::create_event(HANDLE* out, ACCESS_MASK access, const object_request& request,
                          EVENT_TYPE type, bool initial_state) {
  // Checked before the descriptor and the name, as NtCreateSemaphore checks
  // its counts.
  if (type != NotificationEvent && type != SynchronizationEvent) return STATUS_INVALID_PARAMETER;
  const bool manual_reset = type == NotificationEvent;
  const new_object event{
      shm::object_type::event, object::event_ops::value_of(manual_reset, initial_state), nullptr,
      [=](object::object_ref* ref) {
        return object::create_event(manual_reset, initial_state, ref);
      }};
  return create_object(out, access, request, event, object::event_ops::mapping);
}

NTSTATUS nt::open_event(HANDLE* out, ACCESS_MASK access, const object_request& request) {
  return open_object(out, access, request, shm::object_type::event, object::event_ops::mapping);
}

NTSTATUS nt::change_event(HANDLE h, object::event_change how, LONG* previous) {
  handle::handle_info info;
  NTSTATUS status = handle::reference(h, shm::object_type::event, EVENT_MODIFY_STATE, &info);
  if (status != STATUS_SUCCESS) return status;
  return object::change_event(info.object, how, previous);
}

extern "C" NTSTATUS NtCreateEvent(PHANDLE handle, ACCESS_MASK access,
                                  POBJECT_ATTRIBUTES attributes, EVENT_TYPE type,
                                  BOOLEAN initial_state) {
  return nt::native_create(handle, attributes, [&](const nt::object_request& request) {
    return nt::create_event(handle, access, request, type, initial_state != 0);
  });
}

extern "C" NTSTATUS NtOpenEvent(PHANDLE handle, ACCESS_MASK access,
                                POBJECT_ATTRIBUTES attributes) {
  return nt::native_open(handle, attributes, [&](const nt::object_request& request) {
    return nt::open_event(handle, access, request);
  });
}

extern "C" NTSTATUS NtSetEvent(HANDLE h, PLONG previous) {
  return nt::change_event(h, object::event_change::set, previous);
}

extern "C" NTSTATUS NtResetEvent(HANDLE h, PLONG previous) {
  return nt::change_event(h, object::event_change::reset, previous);
}

extern "C" NTSTATUS NtClearEvent(HANDLE h) {
  return nt::change_event(h, object::event_change::reset, nullptr);
}

extern "C" NTSTATUS NtPulseEvent(HANDLE h, PLONG previous) {
  return nt::change_event(h, object::event_change::pulse, previous);
}

extern "C" NTSTATUS NtQueryEvent(HANDLE h, EVENT_INFORMATION_CLASS info_class, PVOID buffer,
                                 ULONG length, PULONG return_length) {
  const nt::basic_query query{info_class == EventBasicInformation, length, buffer,
                              return_length};
  return nt::query_basic_information<EVENT_BASIC_INFORMATION>(
      h, shm::object_type::event, EVENT_QUERY_STATE, query,
      [](const object::object_ref& object, EVENT_BASIC_INFORMATION* out) {
        bool manual_reset = false, signaled = false;
        const NTSTATUS s = object::query_event(object, &manual_reset, &signaled);
        out->EventType = manual_reset ? NotificationEvent : SynchronizationEvent;
        out->EventState = signaled ? 1 : 0;
        return s;
      });
}
