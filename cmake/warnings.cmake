# Warnings every target of the project is built with (g++ 12 and clang 14 both
# stay clean with them).
add_library(ntsem_warnings INTERFACE)
target_compile_options(ntsem_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow
  -Wconversion -Wno-sign-conversion)
if(NTSEM_WERROR)
  target_compile_options(ntsem_warnings INTERFACE -Werror)
endif()
