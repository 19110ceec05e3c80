# Warnings every target of the project is built with (g++ 12 and clang 14 both
# stay clean with them).
add_library(ntsem_warnings INTERFACE)
target_compile_options(ntsem_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow
  -Wconversion -Wno-sign-conversion)
if(NTSEM_WERROR)
  target_compile_options(ntsem_warnings INTERFACE -Werror)
endif()
# g++ 12 reports a false -Wrestrict inside libstdc++'s std::string operator+
# when it inlines it at -O2 and above (GCC bug 105651, fixed in g++ 13).
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(ntsem_warnings INTERFACE -Wno-restrict)
endif()
